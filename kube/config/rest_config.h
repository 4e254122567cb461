#pragma once

#include <memory>
#include <string>

#include "kube/config/credential_provider.h"
#include "kube/transport/tls_config.h"

namespace numalign::kube {

// Everything needed to reach and authenticate to one API server, whatever the source.
struct RestConfig {
  std::string server;  // "https://host:port"
  TlsConfig tls;
  std::shared_ptr<CredentialProvider> credentials;  // null: no bearer token (client cert, anon)
  std::string default_namespace = "default";        // the context's namespace
  std::string source;                               // "kubeconfig /root/.kube/config", "in-cluster"
};

}  // namespace numalign::kube
