#include "extender/server/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "extender/testing/fake_decider.h"

namespace numalign::extender {
namespace {

using ::testing::HasSubstr;

class RouterTest : public ::testing::Test {
 protected:
  http::HttpReply call(std::string_view method, std::string_view target,
                       std::string_view body = "") {
    return router.handle(http::HttpRequest{method, target, body});
  }

  testing::FakeDecider decider;
  metrics::Registry registry;
  ServiceMetrics metrics{registry};
  ExtenderService service{decider, metrics};
  bool ready = false;
  Router router{"/numalign/v1/", service, metrics, [this] { return ready; }};
};

TEST_F(RouterTest, NormalizesThePrefixLikeTheScheduler) {
  EXPECT_EQ(router.url_prefix(), "/numalign/v1");
  EXPECT_EQ(normalize_url_prefix("numa"), "/numa");
  EXPECT_EQ(normalize_url_prefix("/"), "");
  EXPECT_EQ(normalize_url_prefix(""), "");
}

TEST_F(RouterTest, RoutesVerbsUnderThePrefix) {
  const auto reply = call("POST", "/numalign/v1/filter", R"({"Pod":{},"NodeNames":["a"]})");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.content_type, "application/json");
  EXPECT_THAT(reply.body, HasSubstr(R"("NodeNames":["a"])"));
  EXPECT_EQ(call("POST", "/numalign/v1/prioritize?x=1", R"({"Pod":{},"NodeNames":["a"]})").status,
            200u);
  EXPECT_EQ(decider.calls().prioritize, 1);
}

TEST_F(RouterTest, UnknownPathsAre404AndWrongMethods405) {
  EXPECT_EQ(call("POST", "/filter", "{}").status, 404u);
  EXPECT_EQ(call("POST", "/numalign/v1/unknown", "{}").status, 404u);
  EXPECT_EQ(call("POST", "/numalign/v1filter", "{}").status, 404u);
  const auto wrong = call("GET", "/numalign/v1/filter");
  EXPECT_EQ(wrong.status, 405u);
  EXPECT_THAT(wrong.body, HasSubstr("Error"));
  ASSERT_EQ(wrong.extra_headers.size(), 1u);
  EXPECT_EQ(wrong.extra_headers[0].second, "POST");
  EXPECT_EQ(call("POST", "/healthz").status, 405u);
}

TEST_F(RouterTest, HealthzIsAlwaysOkAndReadyzFollowsTheCallback) {
  EXPECT_EQ(call("GET", "/healthz").status, 200u);
  EXPECT_EQ(call("GET", "/readyz").status, 503u);
  ready = true;
  EXPECT_EQ(call("GET", "/readyz").status, 200u);
  EXPECT_EQ(call("GET", "/readyz").body, "ok");
}

TEST_F(RouterTest, MetricsExposeLatencyByVerbAndDecisionsByOutcome) {
  testing::FakeDecider::Script script;
  script.failed = {{"b", "TopologyAffinityError: x"}};
  script.failed_and_unresolvable = {{"c", "no NRT"}};
  decider.set_script(script);
  call("POST", "/numalign/v1/filter", R"({"Pod":{},"NodeNames":["a","b","c"]})");
  call("POST", "/numalign/v1/filter", "not json");
  const auto reply = call("GET", "/metrics");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_THAT(reply.content_type, HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(reply.body, HasSubstr("# TYPE numalign_extender_request_duration_seconds histogram"));
  EXPECT_THAT(reply.body,
              HasSubstr("numalign_extender_request_duration_seconds_count{verb=\"filter\"} 2"));
  EXPECT_THAT(reply.body,
              HasSubstr("numalign_extender_requests_total{verb=\"filter\",code=\"200\"} 1"));
  EXPECT_THAT(reply.body,
              HasSubstr("numalign_extender_requests_total{verb=\"filter\",code=\"400\"} 1"));
  EXPECT_THAT(
      reply.body,
      HasSubstr("numalign_extender_decisions_total{verb=\"filter\",outcome=\"feasible\"} 1"));
  EXPECT_THAT(reply.body,
              HasSubstr("numalign_extender_decisions_total{verb=\"filter\",outcome=\"failed\"} 1"));
  EXPECT_THAT(
      reply.body,
      HasSubstr("numalign_extender_decisions_total{verb=\"filter\",outcome=\"unresolvable\"} 1"));
  EXPECT_THAT(reply.body, HasSubstr("numalign_extender_open_connections 0"));
}

TEST_F(RouterTest, MetricsExposeCacheSizesRegisteredByTheDecider) {
  std::atomic<int> nodes{5000};
  metrics.register_cache_size("nodes", [&] { return double(nodes.load()); });
  EXPECT_THAT(call("GET", "/metrics").body,
              HasSubstr("numalign_extender_cache_entries{cache=\"nodes\"} 5000"));
}

TEST_F(RouterTest, ErrorFormsFollowWhatTheSchedulerCanRead) {
  testing::FakeDecider::Script script;
  script.filter_error = "cache not synced";
  script.prioritize_error = "boom";
  script.preempt_error = "boom";
  script.bind_failures = 1;
  decider.set_script(script);
  const auto filter = call("POST", "/numalign/v1/filter", R"({"Pod":{},"NodeNames":["a"]})");
  EXPECT_EQ(filter.status, 200u);
  EXPECT_THAT(filter.body, HasSubstr(R"("NodeNames":[])"));
  EXPECT_THAT(filter.body, HasSubstr(R"("Error":"cache not synced")"));
  EXPECT_EQ(call("POST", "/numalign/v1/prioritize", R"({"Pod":{},"NodeNames":["a"]})").status,
            500u);
  EXPECT_EQ(call("POST", "/numalign/v1/preempt", R"({"Pod":{},"NodeNameToMetaVictims":{}})").status,
            500u);
  const auto bind = call("POST", "/numalign/v1/bind",
                         R"({"PodName":"p","PodNamespace":"n","PodUID":"u","Node":"a"})");
  EXPECT_EQ(bind.status, 200u);
  EXPECT_EQ(bind.body, R"({"Error":"binding rejected"})");
}

TEST_F(RouterTest, FilterDropsNamesTheDeciderInventedAndKeepsObjectsInObjectsMode) {
  // A feasible name that was not a candidate would make the scheduler fail the whole call.
  class Inventing final : public Decider {
   public:
    FilterVerdict Filter(const nlohmann::json&, const protocol::NodeCandidates&,
                         const DecisionContext&) override {
      FilterVerdict verdict;
      verdict.feasible = {"n2", "ghost", "n1", "n2"};
      return verdict;
    }
    PrioritizeVerdict Prioritize(const nlohmann::json&, const protocol::NodeCandidates&,
                                 const DecisionContext&) override {
      return {};
    }
    std::string Bind(const protocol::BindingArgs&, const DecisionContext&) override { return ""; }
    PreemptVerdict Preempt(const nlohmann::json&, const PreemptionCandidates&,
                           const DecisionContext&) override {
      return {};
    }
  } inventing;
  ExtenderService inventing_service{inventing, metrics};
  const auto reply = inventing_service.filter(
      R"({"Pod":{},"Nodes":{"items":[{"metadata":{"name":"n1"}},{"metadata":{"name":"n2"}}]}})");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_THAT(reply.body, HasSubstr(R"("NodeNames":["n1","n2"])"));
  EXPECT_THAT(
      reply.body,
      HasSubstr(R"("Nodes":{"items":[{"metadata":{"name":"n1"}},{"metadata":{"name":"n2"}}]})"));
}

TEST_F(RouterTest, PreemptInObjectsModeHandsTheDeciderUidsAndFullPods) {
  const auto reply =
      call("POST", "/numalign/v1/preempt",
           R"({"Pod":{},"NodeNameToVictims":{"w1":{"Pods":[{"metadata":{"uid":"a1"}}],)"
           R"("NumPDBViolations":1}},"NodeNameToMetaVictims":null})");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.body,
            R"({"NodeNameToMetaVictims":{"w1":{"Pods":[{"UID":"a1"}],"NumPDBViolations":1}}})");
}

}  // namespace
}  // namespace numalign::extender
