#pragma once

#include <functional>
#include <string>

#include "common/http/http_types.h"
#include "extender/server/extender_service.h"

namespace numalign::extender {

// Normalises --url-prefix the way the scheduler builds URLs (trailing '/' trimmed, verb
// appended after '/'): "" and "/" mean the root; a missing leading '/' is added.
std::string normalize_url_prefix(std::string prefix);

// Maps requests to handlers:
//   POST {prefix}/filter, /prioritize, /bind, /preempt  -> ExtenderService
//   GET  /healthz  (alive), /readyz (the readiness callback), /metrics (Prometheus text)
// Anything else is 404, a wrong method 405; bodies are JSON {"Error": ...} for the verbs.
class Router {
 public:
  Router(std::string url_prefix, ExtenderService& service, ServiceMetrics& metrics,
         std::function<bool()> ready);

  http::HttpReply handle(const http::HttpRequest& request) const;

  const std::string& url_prefix() const { return url_prefix_; }

 private:
  std::string url_prefix_;
  ExtenderService& service_;
  ServiceMetrics& metrics_;
  std::function<bool()> ready_;
};

}  // namespace numalign::extender
