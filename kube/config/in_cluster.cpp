#include "kube/config/in_cluster.h"

#include <cstdlib>

#include "kube/config/token_file_provider.h"
#include "kube/errors.h"

namespace numalign::kube {

InClusterOptions InClusterOptionsFromEnvironment() {
  InClusterOptions options;
  if (const char* host = std::getenv("KUBERNETES_SERVICE_HOST")) options.service_host = host;
  if (const char* port = std::getenv("KUBERNETES_SERVICE_PORT")) options.service_port = port;
  return options;
}

RestConfig InClusterConfig(const InClusterOptions& options) {
  if (options.service_host.empty() || options.service_port.empty()) {
    throw ConfigError(
        "in-cluster config: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set "
        "(not running in a pod?)");
  }
  RestConfig config;
  const bool ipv6 = options.service_host.find(':') != std::string::npos;
  config.server = "https://" + (ipv6 ? "[" + options.service_host + "]" : options.service_host) +
                  ":" + options.service_port;
  config.source = "in-cluster service account " + options.service_account_dir.string();
  const auto dir = options.service_account_dir;
  config.tls.ca_pem = ReadFileOrThrow(dir / "ca.crt", "in-cluster config: ca.crt");
  auto token = std::make_shared<TokenFileProvider>(dir / "token");
  try {
    token->BearerToken();
  } catch (const ConfigError& e) {
    throw ConfigError(std::string("in-cluster config: token: ") + e.what());
  }
  config.credentials = token;
  std::error_code ec;
  if (std::filesystem::exists(dir / "namespace", ec)) {
    std::string ns = ReadFileOrThrow(dir / "namespace", "in-cluster config: namespace");
    while (!ns.empty() && (ns.back() == '\n' || ns.back() == ' ')) ns.pop_back();
    if (!ns.empty()) config.default_namespace = ns;
  }
  return config;
}

}  // namespace numalign::kube
