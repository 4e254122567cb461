#pragma once

#include <functional>
#include <string>

#include "common/http/http_types.h"

namespace numalign::controller {

// What /healthz, /readyz and /metrics report, as callbacks so the routing is tested without a
// process around it. Each callback must be thread-safe (HTTP pool threads call them).
struct EndpointSources {
  // Liveness: empty when healthy, otherwise why not (the body of the 500).
  std::function<std::string()> unhealthy_reason;
  // Readiness: empty when ready, otherwise why not (the body of the 503).
  std::function<std::string()> unready_reason;
  // The Prometheus text exposition.
  std::function<std::string()> metrics;
};

// Routes one request of the controller's HTTP endpoints: GET /healthz, /readyz,
// /metrics; 405 for other methods on those paths, 404 for anything else. A query string is
// ignored (kubelet probes and Prometheus may add one).
http::HttpReply HandleControllerEndpoint(const EndpointSources& sources,
                                         const http::HttpRequest& request);

}  // namespace numalign::controller
