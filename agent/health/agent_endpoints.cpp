#include "agent/health/agent_endpoints.h"

namespace numalign::agent {
namespace {

// The probe and error replies the kubelet and humans read: short plain text.
http::HttpReply Text(unsigned status, std::string body) {
  return {status, "text/plain", std::move(body), {}};
}

// The reply to GET; HEAD gets the same status and headers without the body.
http::HttpReply Answer(const AgentEndpointSources& sources, AgentRoutes routes,
                       std::string_view path) {
  if (routes.probes && path == "/healthz") return Text(200, "ok\n");
  if (routes.probes && path == "/readyz") {
    const bool is_ready = sources.ready && sources.ready();
    return is_ready ? Text(200, "ok\n") : Text(503, sources.not_ready_text);
  }
  if (routes.metrics && path == "/metrics") {
    // The Prometheus text format version scrapers negotiate on.
    return {200, "text/plain; version=0.0.4", sources.metrics ? sources.metrics() : "", {}};
  }
  return Text(404, "not found\n");
}

}  // namespace

http::HttpReply HandleAgentEndpoint(const AgentEndpointSources& sources, AgentRoutes routes,
                                    const http::HttpRequest& request) {
  // Probes never change state, so only the safe methods are answered, on any path.
  if (request.method != "GET" && request.method != "HEAD") {
    return Text(405, "method not allowed\n");
  }
  const std::string_view path = request.target.substr(0, request.target.find('?'));
  http::HttpReply reply = Answer(sources, routes, path);
  if (request.method == "HEAD") reply.body.clear();
  return reply;
}

}  // namespace numalign::agent
