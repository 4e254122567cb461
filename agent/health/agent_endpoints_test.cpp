#include "agent/health/agent_endpoints.h"

#include <gtest/gtest.h>

namespace numalign::agent {
namespace {

AgentEndpointSources Sources(bool ready) {
  return {.ready = [ready] { return ready; },
          .not_ready_text = "waiting for the kubelet's podresources API (/pr.sock)\n",
          .metrics = [] { return std::string("numalign_up 1\n"); }};
}

http::HttpReply Call(const AgentEndpointSources& sources, AgentRoutes routes,
                     std::string_view method, std::string_view target) {
  return HandleAgentEndpoint(sources, routes, http::HttpRequest{method, target, ""});
}

TEST(AgentEndpoints, ProbesAnswerOkOrTheReasonForNotReady) {
  const AgentRoutes all{};
  auto healthz = Call(Sources(false), all, "GET", "/healthz");
  EXPECT_EQ(healthz.status, 200U);
  EXPECT_EQ(healthz.body, "ok\n");
  EXPECT_EQ(healthz.content_type, "text/plain");

  auto waiting = Call(Sources(false), all, "GET", "/readyz");
  EXPECT_EQ(waiting.status, 503U);
  EXPECT_EQ(waiting.body, "waiting for the kubelet's podresources API (/pr.sock)\n");
  auto ready = Call(Sources(true), all, "GET", "/readyz?verbose=1");
  EXPECT_EQ(ready.status, 200U);
  EXPECT_EQ(ready.body, "ok\n");
}

TEST(AgentEndpoints, MetricsInThePrometheusTextFormat) {
  auto scrape = Call(Sources(true), AgentRoutes{}, "GET", "/metrics");
  EXPECT_EQ(scrape.status, 200U);
  EXPECT_EQ(scrape.content_type, "text/plain; version=0.0.4");
  EXPECT_EQ(scrape.body, "numalign_up 1\n");
}

TEST(AgentEndpoints, RoutesLeftOutAreNotFound) {
  const AgentRoutes probes_only{.probes = true, .metrics = false};
  EXPECT_EQ(Call(Sources(true), probes_only, "GET", "/metrics").status, 404U);
  EXPECT_EQ(Call(Sources(true), probes_only, "GET", "/healthz").status, 200U);
  const AgentRoutes metrics_only{.probes = false, .metrics = true};
  EXPECT_EQ(Call(Sources(true), metrics_only, "GET", "/healthz").status, 404U);
  EXPECT_EQ(Call(Sources(true), metrics_only, "GET", "/readyz").status, 404U);
  auto unknown = Call(Sources(true), AgentRoutes{}, "GET", "/");
  EXPECT_EQ(unknown.status, 404U);
  EXPECT_EQ(unknown.body, "not found\n");
}

TEST(AgentEndpoints, OnlyGetAndHeadAreAnswered) {
  auto post = Call(Sources(true), AgentRoutes{}, "POST", "/healthz");
  EXPECT_EQ(post.status, 405U);
  EXPECT_EQ(post.body, "method not allowed\n");
  EXPECT_EQ(Call(Sources(true), AgentRoutes{}, "DELETE", "/nope").status, 405U);
  auto head = Call(Sources(false), AgentRoutes{}, "HEAD", "/readyz");
  EXPECT_EQ(head.status, 503U);
  EXPECT_EQ(head.body, "");
}

TEST(AgentEndpoints, MissingCallbacksMeanNotReadyAndNoMetrics) {
  const AgentEndpointSources none;
  EXPECT_EQ(Call(none, AgentRoutes{}, "GET", "/readyz").status, 503U);
  auto scrape = Call(none, AgentRoutes{}, "GET", "/metrics");
  EXPECT_EQ(scrape.status, 200U);
  EXPECT_EQ(scrape.body, "");
}

}  // namespace
}  // namespace numalign::agent
