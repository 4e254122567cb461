#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

namespace numalign::http {

struct TlsOptions {
  std::string cert_file;  // PEM certificate chain served to clients
  std::string private_key_file;
  // When set, clients must present a certificate signed by one of these CAs (mTLS, as
  // tlsConfig.certFile/keyFile in the scheduler's extender config).
  std::string client_ca_file;
};

// TLS 1.2+ server context from PEM files. Throws std::runtime_error naming the failing file.
std::shared_ptr<boost::asio::ssl::context> make_server_tls_context(const TlsOptions& options);

}  // namespace numalign::http
