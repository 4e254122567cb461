#pragma once

#include <filesystem>
#include <string>

#include "kube/config/rest_config.h"

namespace numalign::kube {

inline constexpr char kServiceAccountDir[] = "/var/run/secrets/kubernetes.io/serviceaccount";

struct InClusterOptions {
  std::string service_host;  // KUBERNETES_SERVICE_HOST
  std::string service_port;  // KUBERNETES_SERVICE_PORT
  std::filesystem::path service_account_dir = kServiceAccountDir;
};

// InClusterOptions from the environment (the directory stays at its default).
InClusterOptions InClusterOptionsFromEnvironment();

// The config a pod gets from its service account: server from the service environment, the
// token re-read as the kubelet rotates it, ca.crt, and the pod's namespace. Throws ConfigError
// naming the missing variable or file.
RestConfig InClusterConfig(const InClusterOptions& options);

}  // namespace numalign::kube
