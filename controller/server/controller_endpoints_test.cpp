#include "controller/server/controller_endpoints.h"

#include <gtest/gtest.h>

namespace numalign::controller {
namespace {

http::HttpReply Get(const EndpointSources& sources, std::string_view target,
                    std::string_view method = "GET") {
  return HandleControllerEndpoint(sources, {method, target, ""});
}

TEST(ControllerEndpoints, ProbesReportTheirReasons) {
  std::string unhealthy, unready = "informers not synced";
  EndpointSources sources{[&] { return unhealthy; }, [&] { return unready; },
                          [] { return "m 1\n"; }};
  EXPECT_EQ(Get(sources, "/healthz").status, 200u);
  const auto not_ready = Get(sources, "/readyz?verbose");
  EXPECT_EQ(not_ready.status, 503u);
  EXPECT_NE(not_ready.body.find("informers not synced"), std::string::npos);
  unready.clear();
  EXPECT_EQ(Get(sources, "/readyz").status, 200u);
  unhealthy = "loop stalled";
  EXPECT_EQ(Get(sources, "/healthz").status, 500u);
}

TEST(ControllerEndpoints, MetricsUseThePrometheusTextFormat) {
  EndpointSources sources{{}, {}, [] { return "numalign_controller_leader 1\n"; }};
  const auto reply = Get(sources, "/metrics");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(reply.body, "numalign_controller_leader 1\n");
}

TEST(ControllerEndpoints, UnknownPathsAndMethodsAreRefused) {
  EndpointSources sources;
  EXPECT_EQ(Get(sources, "/").status, 404u);
  EXPECT_EQ(Get(sources, "/healthzz").status, 404u);
  const auto post = Get(sources, "/metrics", "POST");
  EXPECT_EQ(post.status, 405u);
  ASSERT_EQ(post.extra_headers.size(), 1u);
  EXPECT_EQ(post.extra_headers[0].second, "GET");
}

}  // namespace
}  // namespace numalign::controller
