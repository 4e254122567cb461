#pragma once

#include <string>

namespace numalign::kube {

// TLS material for the API server connection, already loaded into memory (PEM).
struct TlsConfig {
  std::string ca_pem;           // empty: the system trust store
  std::string client_cert_pem;  // with client_key_pem, mutual TLS
  std::string client_key_pem;
  bool insecure_skip_verify = false;
};

}  // namespace numalign::kube
