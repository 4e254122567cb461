#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/http/http_types.h"
#include "common/http/server_observer.h"
#include "common/http/tls_context.h"

namespace numalign::http {

struct ServerOptions {
  std::string bind_address = "0.0.0.0";
  unsigned short port = 8888;  // 0 picks a free port (tests)
  int threads = 2;
  std::size_t max_request_bytes = 16 * 1024 * 1024;
  // Reading one request once it has started, and writing its reply.
  std::chrono::milliseconds request_timeout{5000};
  // How long a keep-alive connection may sit idle between requests (Go's client keeps idle
  // connections for 90 s).
  std::chrono::milliseconds idle_timeout{90000};
  std::optional<TlsOptions> tls;
};

// Called on a pool thread for every complete request; must be thread-safe. Exceptions become
// a 500.
using RequestHandler = std::function<HttpReply(const HttpRequest&)>;

// HTTP/1.1 server on Boost.Beast: persistent connections, a pool of `threads` running one
// io_context, TCP_NODELAY (a reply must not wait for Nagle), size and time limits, optional
// TLS with optional client-certificate verification. Malformed HTTP and oversized bodies get a
// 400 with a JSON `Error` and that connection closes; the server keeps serving.
class HttpServer {
 public:
  HttpServer(ServerOptions options, RequestHandler handler, HttpServerObserver* observer = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the threads. Throws std::runtime_error when it cannot listen or
  // the TLS files do not load.
  void start();
  // Stops accepting, drops open connections and joins the threads. Idempotent.
  void stop();

  unsigned short port() const;  // the bound port, after start()

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace numalign::http
