// The HTTP/1.1 front end (Boost.Beast): plain TCP or TLS, keep-alive, one thread per connection
// (watches are long-lived blocking streams), chunked transfer for large bodies and watches, and
// a body limit answered with 413.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace numalign::test_apiserver {

class ApiServerCore;

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 0;  // 0 = ephemeral
  std::string tls_cert_file;
  std::string tls_key_file;
  size_t body_limit = 3 * 1024 * 1024;  // kube-apiserver's default request body limit
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, ApiServerCore& core);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting; throws std::runtime_error when the address cannot be used.
  void Start();
  uint16_t port() const;
  bool tls() const;
  // Closes the listener and every connection, and waits for their threads.
  void Stop();

  // Shared with the connection threads, which may outlive a Stop() that timed out.
  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace numalign::test_apiserver
