#include "kube/config/kubeconfig.h"

#include <yaml-cpp/yaml.h>

#include "kube/config/base64.h"
#include "kube/config/token_file_provider.h"
#include "kube/errors.h"

namespace numalign::kube {

namespace {

namespace fs = std::filesystem;

// Reads typed scalars and reports the exact field on mistakes.
class FieldReader {
 public:
  FieldReader(const YAML::Node& node, std::string where) : node_(node), where_(std::move(where)) {}

  std::string String(const char* key) const {
    const YAML::Node value = node_[key];
    if (!value || value.IsNull()) return "";
    if (!value.IsScalar()) throw ConfigError(where_ + ": " + key + ": must be a string");
    return value.as<std::string>();
  }

  bool Bool(const char* key) const {
    const YAML::Node value = node_[key];
    if (!value || value.IsNull()) return false;
    try {
      return value.as<bool>();
    } catch (const YAML::Exception&) {
      throw ConfigError(where_ + ": " + key + ": must be true or false, not \"" +
                        (value.IsScalar() ? value.as<std::string>() : "?") + "\"");
    }
  }

  std::string Path(const char* key, const fs::path& base) const {
    std::string value = String(key);
    if (value.empty()) return value;
    if (value.starts_with("~/")) {
      if (const char* home = std::getenv("HOME")) value = std::string(home) + value.substr(1);
    }
    const fs::path p(value);
    return p.is_absolute() ? value : (base / p).lexically_normal().string();
  }

  const std::string& where() const { return where_; }

 private:
  const YAML::Node& node_;
  std::string where_;
};

// Iterates a list of {name: ..., <inner>: {...}} entries.
template <typename Visit>
void ForEachNamed(const YAML::Node& root, const char* list, const char* inner,
                  const std::string& file, Visit&& visit) {
  const YAML::Node entries = root[list];
  if (!entries || entries.IsNull()) return;
  if (!entries.IsSequence())
    throw ConfigError("kubeconfig " + file + ": " + list + ": must be a list");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const YAML::Node entry = entries[i];
    std::string where = "kubeconfig " + file + ": " + list + "[" + std::to_string(i) + "]";
    if (!entry.IsMap()) throw ConfigError(where + ": must be a mapping");
    const YAML::Node name = entry["name"];
    if (!name || !name.IsScalar() || name.as<std::string>().empty()) {
      throw ConfigError(where + ": name: missing");
    }
    where += " \"" + name.as<std::string>() + "\"";
    const YAML::Node body = entry[inner];
    if (body && !body.IsNull() && !body.IsMap()) {
      throw ConfigError(where + ": " + inner + ": must be a mapping");
    }
    visit(name.as<std::string>(), body ? body : YAML::Node(YAML::NodeType::Map),
          where + ": " + inner);
  }
}

ExecConfig ParseExec(const YAML::Node& node, const std::string& where, const fs::path& base) {
  if (!node.IsMap()) throw ConfigError(where + ": must be a mapping");
  FieldReader r(node, where);
  ExecConfig exec;
  exec.origin = where;
  exec.base_dir = base;
  exec.api_version = r.String("apiVersion");
  if (exec.api_version != "client.authentication.k8s.io/v1" &&
      exec.api_version != "client.authentication.k8s.io/v1beta1") {
    throw ConfigError(where + ": apiVersion: \"" + exec.api_version +
                      "\" is not client.authentication.k8s.io/v1 or v1beta1");
  }
  exec.command = r.String("command");
  if (exec.command.empty()) throw ConfigError(where + ": command: missing");
  if (const YAML::Node args = node["args"]; args && !args.IsNull()) {
    if (!args.IsSequence()) throw ConfigError(where + ": args: must be a list of strings");
    for (const auto& a : args) {
      if (!a.IsScalar()) throw ConfigError(where + ": args: must be a list of strings");
      exec.args.push_back(a.as<std::string>());
    }
  }
  if (const YAML::Node env = node["env"]; env && !env.IsNull()) {
    if (!env.IsSequence()) throw ConfigError(where + ": env: must be a list of {name, value}");
    for (std::size_t i = 0; i < env.size(); ++i) {
      const std::string at = where + ": env[" + std::to_string(i) + "]";
      if (!env[i].IsMap()) throw ConfigError(at + ": must be a mapping with name and value");
      FieldReader e(env[i], at);
      const std::string name = e.String("name");
      if (name.empty()) throw ConfigError(at + ": name: missing");
      exec.env.emplace_back(name, e.String("value"));
    }
  }
  exec.install_hint = r.String("installHint");
  exec.provide_cluster_info = r.Bool("provideClusterInfo");
  return exec;
}

void Merge(Kubeconfig& into, Kubeconfig&& from) {
  for (auto& [k, v] : from.clusters) into.clusters.try_emplace(k, std::move(v));
  for (auto& [k, v] : from.users) into.users.try_emplace(k, std::move(v));
  for (auto& [k, v] : from.contexts) into.contexts.try_emplace(k, std::move(v));
  if (into.current_context.empty()) into.current_context = from.current_context;
  into.files.insert(into.files.end(), from.files.begin(), from.files.end());
}

std::string DecodeDataOrThrow(const std::string& data, const std::string& where) {
  auto decoded = DecodeBase64(data);
  if (!decoded) throw ConfigError(where + ": not valid base64");
  return *decoded;
}

void RequirePem(const std::string& pem, const std::string& where, const char* kind) {
  if (pem.find("-----BEGIN") == std::string::npos) {
    throw ConfigError(where + ": does not contain a PEM " + kind);
  }
}

}  // namespace

std::vector<std::filesystem::path> SplitKubeconfigList(const std::string& value) {
  std::vector<fs::path> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t colon = value.find(':', start);
    const std::string part =
        value.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (!part.empty()) out.emplace_back(part);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return out;
}

Kubeconfig Kubeconfig::LoadFile(const fs::path& path) {
  const std::string file = path.string();
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::BadFile&) {
    throw ConfigError("kubeconfig " + file + ": cannot read the file");
  } catch (const YAML::Exception& e) {
    throw ConfigError("kubeconfig " + file + ": not valid YAML: " + e.what());
  }
  Kubeconfig config;
  config.files.push_back(path);
  if (!root || root.IsNull()) return config;  // an empty file is a valid, empty kubeconfig
  if (!root.IsMap()) throw ConfigError("kubeconfig " + file + ": must be a YAML mapping");
  const fs::path base = fs::absolute(path).parent_path();
  try {
    FieldReader top(root, "kubeconfig " + file);
    config.current_context = top.String("current-context");

    ForEachNamed(root, "clusters", "cluster", file,
                 [&](const std::string& name, const YAML::Node& body, const std::string& where) {
                   FieldReader r(body, where);
                   KubeconfigCluster c;
                   c.origin = where;
                   c.server = r.String("server");
                   c.certificate_authority = r.Path("certificate-authority", base);
                   c.certificate_authority_data = r.String("certificate-authority-data");
                   c.insecure_skip_tls_verify = r.Bool("insecure-skip-tls-verify");
                   config.clusters.try_emplace(name, std::move(c));
                 });
    ForEachNamed(root, "users", "user", file,
                 [&](const std::string& name, const YAML::Node& body, const std::string& where) {
                   FieldReader r(body, where);
                   KubeconfigUser u;
                   u.origin = where;
                   u.token = r.String("token");
                   u.token_file = r.Path("tokenFile", base);
                   u.client_certificate = r.Path("client-certificate", base);
                   u.client_certificate_data = r.String("client-certificate-data");
                   u.client_key = r.Path("client-key", base);
                   u.client_key_data = r.String("client-key-data");
                   u.has_basic_auth =
                       !r.String("username").empty() || !r.String("password").empty();
                   u.has_auth_provider = body["auth-provider"] && !body["auth-provider"].IsNull();
                   if (const YAML::Node exec = body["exec"]; exec && !exec.IsNull()) {
                     u.exec = ParseExec(exec, where + ": exec", base);
                   }
                   config.users.try_emplace(name, std::move(u));
                 });
    ForEachNamed(root, "contexts", "context", file,
                 [&](const std::string& name, const YAML::Node& body, const std::string& where) {
                   FieldReader r(body, where);
                   KubeconfigContext c;
                   c.origin = where;
                   c.cluster = r.String("cluster");
                   c.user = r.String("user");
                   c.namespace_ = r.String("namespace");
                   config.contexts.try_emplace(name, std::move(c));
                 });
  } catch (const YAML::Exception& e) {
    throw ConfigError("kubeconfig " + file + ": " + e.what());
  }
  return config;
}

Kubeconfig Kubeconfig::LoadMerged(const std::vector<fs::path>& paths) {
  Kubeconfig merged;
  std::string tried;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      tried += (tried.empty() ? "" : ", ") + p.string();
      continue;
    }
    Merge(merged, LoadFile(p));
  }
  if (merged.files.empty()) {
    throw ConfigError("no kubeconfig file found (tried " + (tried.empty() ? "none" : tried) + ")");
  }
  return merged;
}

RestConfig Kubeconfig::ToRestConfig(const std::string& context_name,
                                    std::shared_ptr<Clock> clock) const {
  std::string files_text;
  for (const auto& f : files) files_text += (files_text.empty() ? "" : ":") + f.string();
  const std::string name = context_name.empty() ? current_context : context_name;
  if (name.empty()) {
    throw ConfigError("kubeconfig " + files_text +
                      ": current-context is not set and no context was given");
  }
  auto ctx = contexts.find(name);
  if (ctx == contexts.end()) {
    throw ConfigError("kubeconfig " + files_text + ": context \"" + name + "\" is not defined" +
                      (context_name.empty() ? " (named by current-context)" : ""));
  }
  const KubeconfigContext& context = ctx->second;
  auto cl = clusters.find(context.cluster);
  if (context.cluster.empty() || cl == clusters.end()) {
    throw ConfigError(context.origin + ": cluster: \"" + context.cluster + "\" is not defined");
  }
  const KubeconfigCluster& cluster = cl->second;
  if (cluster.server.empty()) throw ConfigError(cluster.origin + ": server: missing");

  RestConfig out;
  out.server = cluster.server;
  while (out.server.size() > 1 && out.server.back() == '/') out.server.pop_back();
  out.source = "kubeconfig " + files_text + " context \"" + name + "\"";
  if (!context.namespace_.empty()) out.default_namespace = context.namespace_;
  out.tls.insecure_skip_verify = cluster.insecure_skip_tls_verify;
  if (!cluster.certificate_authority_data.empty()) {
    out.tls.ca_pem = DecodeDataOrThrow(cluster.certificate_authority_data,
                                       cluster.origin + ": certificate-authority-data");
    RequirePem(out.tls.ca_pem, cluster.origin + ": certificate-authority-data", "certificate");
  } else if (!cluster.certificate_authority.empty()) {
    out.tls.ca_pem =
        ReadFileOrThrow(cluster.certificate_authority, cluster.origin + ": certificate-authority");
    RequirePem(out.tls.ca_pem,
               cluster.origin + ": certificate-authority " + cluster.certificate_authority,
               "certificate");
  }
  if (cluster.insecure_skip_tls_verify && !out.tls.ca_pem.empty()) {
    throw ConfigError(
        cluster.origin +
        ": insecure-skip-tls-verify: cannot be combined with a certificate authority");
  }

  if (context.user.empty()) return out;  // anonymous
  auto us = users.find(context.user);
  if (us == users.end()) {
    throw ConfigError(context.origin + ": user: \"" + context.user + "\" is not defined");
  }
  const KubeconfigUser& user = us->second;
  if (!user.client_certificate_data.empty()) {
    out.tls.client_cert_pem =
        DecodeDataOrThrow(user.client_certificate_data, user.origin + ": client-certificate-data");
    RequirePem(out.tls.client_cert_pem, user.origin + ": client-certificate-data", "certificate");
  } else if (!user.client_certificate.empty()) {
    out.tls.client_cert_pem =
        ReadFileOrThrow(user.client_certificate, user.origin + ": client-certificate");
    RequirePem(out.tls.client_cert_pem, user.origin + ": client-certificate", "certificate");
  }
  if (!user.client_key_data.empty()) {
    out.tls.client_key_pem =
        DecodeDataOrThrow(user.client_key_data, user.origin + ": client-key-data");
    RequirePem(out.tls.client_key_pem, user.origin + ": client-key-data", "private key");
  } else if (!user.client_key.empty()) {
    out.tls.client_key_pem = ReadFileOrThrow(user.client_key, user.origin + ": client-key");
    RequirePem(out.tls.client_key_pem, user.origin + ": client-key", "private key");
  }
  if (out.tls.client_cert_pem.empty() != out.tls.client_key_pem.empty()) {
    throw ConfigError(user.origin + (out.tls.client_key_pem.empty()
                                         ? ": client-key: missing (client-certificate is set)"
                                         : ": client-certificate: missing (client-key is set)"));
  }
  const int token_sources = !user.token.empty() + !user.token_file.empty() + user.exec.has_value();
  if (token_sources > 1) {
    throw ConfigError(user.origin + ": token, tokenFile and exec are mutually exclusive");
  }
  if (!user.token.empty()) {
    out.credentials = std::make_shared<StaticTokenProvider>(user.token);
  } else if (!user.token_file.empty()) {
    auto provider = std::make_shared<TokenFileProvider>(user.token_file);
    try {
      provider->BearerToken();
    } catch (const ConfigError& e) {
      throw ConfigError(user.origin + ": tokenFile: " + e.what());
    }
    out.credentials = provider;
  } else if (user.exec) {
    ExecConfig exec = *user.exec;
    exec.cluster_server = out.server;
    exec.cluster_ca_data_base64 = cluster.certificate_authority_data;
    exec.cluster_insecure = cluster.insecure_skip_tls_verify;
    out.credentials = std::make_shared<ExecCredentialProvider>(std::move(exec), std::move(clock));
  } else if (user.has_auth_provider) {
    throw ConfigError(user.origin +
                      ": auth-provider: legacy auth providers are not supported; use exec");
  } else if (user.has_basic_auth && out.tls.client_cert_pem.empty()) {
    throw ConfigError(user.origin + ": username/password: basic auth is not supported");
  }
  return out;
}

}  // namespace numalign::kube
