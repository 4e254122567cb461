#include "controller/server/controller_endpoints.h"

#include "common/metrics/exposition.h"

namespace numalign::controller {

namespace {

http::HttpReply Text(unsigned status, std::string body) {
  return {status, "text/plain; charset=utf-8", std::move(body), {}};
}

http::HttpReply Probe(const std::function<std::string()>& reason, unsigned failing_status) {
  const std::string why = reason ? reason() : "";
  return why.empty() ? Text(200, "ok") : Text(failing_status, why + "\n");
}

}  // namespace

http::HttpReply HandleControllerEndpoint(const EndpointSources& sources,
                                         const http::HttpRequest& request) {
  std::string_view path = request.target.substr(0, request.target.find('?'));
  const bool known = path == "/healthz" || path == "/readyz" || path == "/metrics";
  if (!known) return Text(404, "not found\n");
  if (request.method != "GET") {
    auto reply = Text(405, "method not allowed\n");
    reply.extra_headers.emplace_back("Allow", "GET");
    return reply;
  }
  if (path == "/healthz") return Probe(sources.unhealthy_reason, 500);
  if (path == "/readyz") return Probe(sources.unready_reason, 503);
  return {
      200, std::string(metrics::kTextContentType), sources.metrics ? sources.metrics() : "", {}};
}

}  // namespace numalign::controller
