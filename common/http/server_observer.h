#pragma once

#include <string_view>

namespace numalign::http {

// What an HttpServer reports about its connections, so each program can count them in its own
// metrics without the server knowing any metric names. Calls come from the server's pool
// threads and must be thread-safe.
class HttpServerObserver {
 public:
  virtual ~HttpServerObserver() = default;
  virtual void connection_opened() = 0;
  virtual void connection_closed() = 0;
  // A request refused before reaching the handler (malformed HTTP, oversized, TLS handshake).
  virtual void request_rejected(std::string_view reason) = 0;
};

}  // namespace numalign::http
