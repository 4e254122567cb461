#include "extender/server/router.h"

#include "common/metrics/exposition.h"
#include "extender/protocol/reply_writer.h"

namespace numalign::extender {
namespace {

http::HttpReply text_reply(unsigned status, std::string body) {
  http::HttpReply reply;
  reply.status = status;
  reply.content_type = "text/plain; charset=utf-8";
  reply.body = std::move(body);
  return reply;
}

http::HttpReply method_not_allowed(const char* allow) {
  http::HttpReply reply;
  reply.status = 405;
  reply.body = protocol::write_error_body(std::string("method not allowed; use ") + allow);
  reply.extra_headers.emplace_back("Allow", allow);
  return reply;
}

}  // namespace

std::string normalize_url_prefix(std::string prefix) {
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (!prefix.empty() && prefix.front() != '/') prefix.insert(prefix.begin(), '/');
  return prefix;
}

Router::Router(std::string url_prefix, ExtenderService& service, ServiceMetrics& metrics,
               std::function<bool()> ready)
    : url_prefix_(normalize_url_prefix(std::move(url_prefix))),
      service_(service),
      metrics_(metrics),
      ready_(std::move(ready)) {}

http::HttpReply Router::handle(const http::HttpRequest& request) const {
  std::string_view path = request.target;
  if (const auto query = path.find('?'); query != std::string_view::npos) {
    path = path.substr(0, query);
  }
  const bool is_get = request.method == "GET";

  if (path == "/healthz" || path == "/livez") {
    if (!is_get) return method_not_allowed("GET");
    return text_reply(200, "ok");
  }
  if (path == "/readyz") {
    if (!is_get) return method_not_allowed("GET");
    const bool ready = !ready_ || ready_();
    return text_reply(ready ? 200 : 503, ready ? "ok" : "not ready: caches not synced");
  }
  if (path == "/metrics") {
    if (!is_get) return method_not_allowed("GET");
    http::HttpReply reply = text_reply(200, metrics_.registry().expose());
    reply.content_type = std::string(metrics::kTextContentType);
    return reply;
  }

  if (path.starts_with(url_prefix_) && path.size() > url_prefix_.size() &&
      path[url_prefix_.size()] == '/') {
    const auto verb_name = path.substr(url_prefix_.size() + 1);
    for (int verb = 0; verb < ServiceMetrics::kVerbCount; ++verb) {
      if (verb_name != ServiceMetrics::verb_name(ServiceMetrics::Verb(verb))) continue;
      if (request.method != "POST") return method_not_allowed("POST");
      return service_.handle(ServiceMetrics::Verb(verb), request.body);
    }
  }
  metrics_.count_rejected("not_found");
  http::HttpReply reply;
  reply.status = 404;
  reply.body = protocol::write_error_body("no such path: " + std::string(path));
  return reply;
}

}  // namespace numalign::extender
