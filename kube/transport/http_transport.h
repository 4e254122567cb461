#pragma once

#include <memory>
#include <optional>
#include <string>

#include "kube/transport/http_types.h"

namespace numalign::kube {

// A response whose body arrives over time (watches). Headers are available at once.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  virtual int Status() const = 0;
  virtual const HttpHeaders& Headers() const = 0;
  // Blocks for the next bytes of the body; nullopt once the body has ended (or after Cancel()).
  // Throws TransportError when the connection fails mid-body.
  virtual std::optional<std::string> Read() = 0;
  // Thread-safe; unblocks a pending Read().
  virtual void Cancel() = 0;
};

// Moves HTTP requests to the API server: TLS, client certificates and connection reuse live
// below this line; authentication headers, retries and rate limits live above it (ApiClient).
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Throws TransportError when no response could be obtained. Any HTTP status is a response.
  virtual HttpResponse Send(const HttpRequest& request) = 0;
  virtual std::unique_ptr<ResponseStream> Stream(const HttpRequest& request) = 0;
};

}  // namespace numalign::kube
