#include "common/http/tls_context.h"

#include <stdexcept>

namespace numalign::http {

std::shared_ptr<boost::asio::ssl::context> make_server_tls_context(const TlsOptions& options) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  auto load = [](const std::string& what, const std::string& file, auto&& action) {
    boost::system::error_code ec;
    action(ec);
    if (ec) throw std::runtime_error("cannot load " + what + " " + file + ": " + ec.message());
  };
  load("TLS certificate", options.cert_file,
       [&](auto& ec) { context->use_certificate_chain_file(options.cert_file, ec); });
  load("TLS private key", options.private_key_file, [&](auto& ec) {
    context->use_private_key_file(options.private_key_file, ssl::context::pem, ec);
  });
  if (!options.client_ca_file.empty()) {
    load("client CA", options.client_ca_file,
         [&](auto& ec) { context->load_verify_file(options.client_ca_file, ec); });
    context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  return context;
}

}  // namespace numalign::http
