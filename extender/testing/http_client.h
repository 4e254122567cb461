#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

// A blocking HTTP/1.1 keep-alive client on Boost.Beast that behaves like the Go http.Client
// kube-scheduler uses for extenders: one deadline covers connect, TLS handshake, send and
// reading the whole reply; idle connections are reused; a request that fails on a reused
// connection before any reply byte arrived is retried once on a fresh connection.
namespace numalign::extender::testing {

struct ClientTlsOptions {
  bool enabled = false;
  // Empty: the server certificate is not verified, as kube-scheduler does when enableHTTPS is
  // set without a CA.
  std::string ca_file;
  std::string cert_file;  // client certificate (mTLS)
  std::string key_file;
  std::string server_name;  // SNI and verified name; defaults to the host
};

struct ClientOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  ClientTlsOptions tls;
};

struct ClientResponse {
  unsigned status = 0;
  std::string content_type;
  std::string body;
  bool reused_connection = false;  // sent on an already open connection
};

// Connect, I/O and timeout failures (Go's transport errors).
class TransportError : public std::runtime_error {
 public:
  TransportError(const std::string& message, bool timed_out)
      : std::runtime_error(message), timed_out_(timed_out) {}
  bool timed_out() const { return timed_out_; }

 private:
  bool timed_out_;
};

// Not thread-safe: use one client per thread (the driver keeps a pool).
class HttpClient {
 public:
  explicit HttpClient(ClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  ClientResponse post(std::string_view target, std::string_view body,
                      std::chrono::milliseconds timeout);
  ClientResponse get(std::string_view target, std::chrono::milliseconds timeout);
  // Sends raw bytes on a fresh connection and returns whatever the server answers before it
  // closes or `timeout` passes (malformed-request tests).
  std::string send_raw(std::string_view bytes, std::chrono::milliseconds timeout);

  void close();
  int connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace numalign::extender::testing
