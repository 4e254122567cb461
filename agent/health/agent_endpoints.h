#pragma once

#include <functional>
#include <string>

#include "common/http/http_types.h"

namespace numalign::agent {

// What the agent's /readyz and /metrics report, as callbacks so the routing is tested without a
// process around it. Both are called on the HTTP pool thread and must be thread-safe.
struct AgentEndpointSources {
  // Readiness: the first pod list and pinning pass (mode agent), or the first podresources read
  // (mode kubelet), has happened.
  std::function<bool()> ready;
  // The 503 body while not ready, e.g. "waiting for the pod list and first pinning\n".
  std::string not_ready_text;
  // The Prometheus text exposition.
  std::function<std::string()> metrics;
};

// Which endpoints one listener answers: the probe port serves /healthz and /readyz, and
// /metrics too unless --metrics-bind-address moved it to a listener of its own.
struct AgentRoutes {
  bool probes = true;
  bool metrics = true;
};

// Routes one request: GET (or HEAD, answered without a body) /healthz, /readyz and /metrics
// when `routes` includes them; 405 for any other method, 404 for any other path. A query string
// is ignored (kubelet probes and Prometheus may add one).
http::HttpReply HandleAgentEndpoint(const AgentEndpointSources& sources, AgentRoutes routes,
                                    const http::HttpRequest& request);

}  // namespace numalign::agent
