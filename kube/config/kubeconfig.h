#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kube/clock/clock.h"
#include "kube/config/exec_credential_provider.h"
#include "kube/config/rest_config.h"

namespace numalign::kube {

// The parts of a kubeconfig (clientcmd v1 Config) numalign uses. Each entry remembers where it
// came from so errors can say "kubeconfig FILE: users[2] \"NAME\": FIELD: problem".
struct KubeconfigCluster {
  std::string server;
  std::string certificate_authority;       // file (absolute after loading)
  std::string certificate_authority_data;  // base64 PEM
  bool insecure_skip_tls_verify = false;
  std::string origin;
};

struct KubeconfigUser {
  std::string token;
  std::string token_file;
  std::string client_certificate;
  std::string client_certificate_data;
  std::string client_key;
  std::string client_key_data;
  std::optional<ExecConfig> exec;
  bool has_basic_auth = false;
  bool has_auth_provider = false;
  std::string origin;
};

struct KubeconfigContext {
  std::string cluster;
  std::string user;
  std::string namespace_;
  std::string origin;
};

struct Kubeconfig {
  std::map<std::string, KubeconfigCluster> clusters;
  std::map<std::string, KubeconfigUser> users;
  std::map<std::string, KubeconfigContext> contexts;
  std::string current_context;
  std::vector<std::filesystem::path> files;

  // Parses one file; relative paths inside are resolved against its directory.
  // Throws ConfigError for unreadable files, bad YAML and wrongly typed fields.
  static Kubeconfig LoadFile(const std::filesystem::path& path);
  // kubectl's merge of a KUBECONFIG list: the first file that defines a cluster, user or context
  // name wins, and the first non-empty current-context wins. Missing files are skipped (as kubectl
  // does); an empty result is an error.
  static Kubeconfig LoadMerged(const std::vector<std::filesystem::path>& paths);

  // Resolves `context` (empty: current-context) to a RestConfig, reading referenced files and
  // decoding data fields. Throws ConfigError naming the field at fault.
  RestConfig ToRestConfig(const std::string& context = {},
                          std::shared_ptr<Clock> clock = SystemClock()) const;
};

// Splits KUBECONFIG ("a:b:c") into paths, dropping empty entries.
std::vector<std::filesystem::path> SplitKubeconfigList(const std::string& value);

}  // namespace numalign::kube
