#include "extender/testing/scheduler_driver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/http/http_server.h"
#include "extender/testing/fake_decider.h"
#include "extender/testing/local_extender.h"

namespace numalign::extender::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Result = ScheduleOutcome::Result;

json make_pod(const std::string& name, const std::string& nominated = "") {
  json pod = {{"metadata", {{"name", name}, {"namespace", "default"}, {"uid", "uid-" + name}}},
              {"spec", {{"containers", json::array()}}},
              {"status", json::object()}};
  if (!nominated.empty()) pod["status"]["nominatedNodeName"] = nominated;
  return pod;
}

std::vector<DriverNode> make_nodes(
    std::initializer_list<std::pair<const char*, std::int64_t>> spec) {
  std::vector<DriverNode> nodes;
  for (const auto& [name, score] : spec) {
    DriverNode node;
    node.name = name;
    node.object = {{"metadata", {{"name", name}}}, {"status", {{"allocatable", {{"cpu", "64"}}}}}};
    node.in_tree_score = score;
    nodes.push_back(std::move(node));
  }
  return nodes;
}

class DriverTest : public ::testing::Test {
 protected:
  ExtenderConfig config(LocalExtender& target) {
    ExtenderConfig config;
    config.url_prefix = target.url_prefix() + "/";  // the scheduler trims trailing slashes
    config.bind_verb = "bind";
    config.preempt_verb = "preempt";
    config.weight = 5;
    config.http_timeout = 2s;
    return config;
  }

  FakeDecider decider;
  LocalExtender extender{decider};
};

TEST_F(DriverTest, FiltersByNameWhenNodeCacheCapable) {
  FakeDecider::Script script;
  script.failed = {
      {"b", "TopologyAffinityError: Resources cannot be allocated with Topology locality"}};
  script.failed_and_unresolvable = {{"c", "numalign: node has no NodeResourceTopology"}};
  decider.set_script(script);
  SchedulerDriver driver(config(extender));
  const auto nodes = make_nodes({{"a", 0}, {"b", 0}, {"c", 0}});
  const auto call = driver.filter(make_pod("p"), {&nodes[0], &nodes[1], &nodes[2]});
  EXPECT_EQ(call.error, "");
  EXPECT_THAT(call.feasible, ElementsAre("a"));
  EXPECT_EQ(call.statuses.at("b").code, StatusCode::kUnschedulable);
  EXPECT_EQ(call.statuses.at("c").code, StatusCode::kUnschedulableAndUnresolvable);
  EXPECT_EQ(decider.calls().filter_node_cache_capable, std::vector<bool>{true});
}

TEST_F(DriverTest, FiltersNodeObjectsWhenNotNodeCacheCapable) {
  FakeDecider::Script script;
  script.failed = {{"a", "no"}};
  decider.set_script(script);
  auto cfg = config(extender);
  cfg.node_cache_capable = false;
  SchedulerDriver driver(cfg);
  const auto outcome = driver.schedule(make_pod("p"), make_nodes({{"a", 0}, {"b", 0}}));
  EXPECT_EQ(outcome.result, Result::kScheduled);
  EXPECT_EQ(outcome.node, "b");
  EXPECT_EQ(decider.calls().filter_node_cache_capable, std::vector<bool>{false});
  EXPECT_THAT(decider.calls().filter_candidates.at(0), ElementsAre("a", "b"));
}

TEST_F(DriverTest, CombinesScoresWithWeightTimesTen) {
  FakeDecider::Script script;
  script.scores = {{"a", 2}, {"b", 10}, {"c", 6}};
  decider.set_script(script);
  SchedulerDriver driver(config(extender));  // weight 5
  const auto outcome =
      driver.schedule(make_pod("p"), make_nodes({{"a", 300}, {"b", 0}, {"c", 100}}));
  ASSERT_EQ(outcome.result, Result::kScheduled);
  EXPECT_TRUE(outcome.prioritize_called);
  // total = in-tree + score * weight * (MaxNodeScore / MaxExtenderPriority)
  EXPECT_EQ(outcome.total_scores.at("a"), 300 + 2 * 5 * 10);
  EXPECT_EQ(outcome.total_scores.at("b"), 0 + 10 * 5 * 10);
  EXPECT_EQ(outcome.total_scores.at("c"), 100 + 6 * 5 * 10);
  EXPECT_EQ(outcome.node, "b");
}

TEST_F(DriverTest, ServerClampsScoresSoTheWeightIsNotInflated) {
  FakeDecider::Script script;
  script.scores = {{"a", 50}, {"b", -7}};
  decider.set_script(script);
  SchedulerDriver driver(config(extender));
  const auto nodes = make_nodes({{"a", 0}, {"b", 0}});
  const auto call = driver.prioritize(make_pod("p"), {&nodes[0], &nodes[1]});
  EXPECT_EQ(call.raw, (protocol::HostPriorityList{{"a", 10}, {"b", 0}}));
  EXPECT_EQ(call.weighted_scores.at("a"), 500);
}

TEST_F(DriverTest, SkipsPrioritizeWhenOneNodeIsLeft) {
  FakeDecider::Script script;
  script.failed = {{"a", "no"}, {"c", "no"}};
  decider.set_script(script);
  SchedulerDriver driver(config(extender));
  const auto outcome = driver.schedule(make_pod("p"), make_nodes({{"a", 0}, {"b", 0}, {"c", 0}}));
  EXPECT_EQ(outcome.node, "b");
  EXPECT_FALSE(outcome.prioritize_called);
  EXPECT_EQ(decider.calls().prioritize, 0);
}

TEST_F(DriverTest, EveryNodeRejectedIsUnschedulableWithReasons) {
  FakeDecider::Script script;
  script.failed = {{"a", "TopologyAffinityError: a"}};
  script.failed_and_unresolvable = {{"b", "no NRT"}};
  decider.set_script(script);
  SchedulerDriver driver(config(extender));
  const auto outcome = driver.schedule(make_pod("p"), make_nodes({{"a", 0}, {"b", 0}}));
  EXPECT_EQ(outcome.result, Result::kUnschedulable);
  EXPECT_EQ(outcome.statuses.at("a").reason, "TopologyAffinityError: a");
  EXPECT_EQ(outcome.statuses.at("b").code, StatusCode::kUnschedulableAndUnresolvable);
}

TEST_F(DriverTest, TriesTheNominatedNodeAloneFirst) {
  SchedulerDriver driver(config(extender));
  const auto nodes = make_nodes({{"a", 0}, {"b", 0}, {"c", 0}});
  const auto outcome = driver.schedule(make_pod("p", "b"), nodes);
  EXPECT_TRUE(outcome.nominated_node_evaluated);
  EXPECT_EQ(outcome.node, "b");
  EXPECT_EQ(outcome.filter_calls, 1);
  EXPECT_THAT(decider.calls().filter_candidates.at(0), ElementsAre("b"));
  EXPECT_EQ(decider.calls().prioritize, 0);
}

TEST_F(DriverTest, FallsBackToAllNodesWhenTheNominatedNodeFails) {
  FakeDecider::Script script;
  script.failed = {{"b", "no longer fits"}};
  script.scores = {{"c", 9}};
  decider.set_script(script);
  SchedulerDriver driver(config(extender));
  const auto outcome =
      driver.schedule(make_pod("p", "b"), make_nodes({{"a", 0}, {"b", 0}, {"c", 0}}));
  EXPECT_EQ(outcome.filter_calls, 2);
  EXPECT_EQ(outcome.node, "c");
  const auto calls = decider.calls();
  EXPECT_THAT(calls.filter_candidates.at(0), ElementsAre("b"));
  EXPECT_THAT(calls.filter_candidates.at(1), ElementsAre("a", "b", "c"));
}

TEST_F(DriverTest, BindRetriesReuseTheSamePodUid) {
  FakeDecider::Script script;
  script.bind_failures = 2;
  script.bind_error = "node changed under us";
  decider.set_script(script);
  SchedulerDriver driver(config(extender));
  const auto outcome = driver.bind_pod(make_pod("p"), "b", 3);
  EXPECT_TRUE(outcome.bound);
  EXPECT_FALSE(outcome.bound_by_default_binder);
  EXPECT_EQ(outcome.attempts, 3);
  EXPECT_THAT(outcome.errors, ElementsAre("node changed under us", "node changed under us"));
  const auto binds = decider.calls().binds;
  ASSERT_EQ(binds.size(), 3u);
  for (const auto& bind : binds) {
    EXPECT_EQ(bind, (protocol::BindingArgs{"p", "default", "uid-p", "b"}));
  }
}

TEST_F(DriverTest, BindFailureFailsUnlessIgnorable) {
  FakeDecider::Script script;
  script.bind_failures = 10;
  decider.set_script(script);
  auto cfg = config(extender);
  SchedulerDriver strict(cfg);
  const auto failed = strict.bind_pod(make_pod("p"), "a", 2);
  EXPECT_FALSE(failed.bound);
  EXPECT_EQ(failed.attempts, 2);
  cfg.ignorable = true;
  SchedulerDriver lenient(cfg);
  const auto fallback = lenient.bind_pod(make_pod("q"), "a", 2);
  EXPECT_TRUE(fallback.bound_by_default_binder);
  EXPECT_EQ(fallback.attempts, 1);
}

TEST_F(DriverTest, BindsRunConcurrentlyWithSchedulingCycles) {
  FakeDecider::Script script;
  script.delay = 20ms;
  decider.set_script(script);
  SchedulerDriver driver(config(extender));
  std::vector<std::future<BindOutcome>> binds;
  for (int i = 0; i < 8; ++i)
    binds.push_back(driver.bind_pod_async(make_pod("p" + std::to_string(i)), "a"));
  const auto outcome = driver.schedule(make_pod("next"), make_nodes({{"a", 0}, {"b", 0}}));
  EXPECT_EQ(outcome.result, Result::kScheduled);
  for (auto& bind : binds) EXPECT_TRUE(bind.get().bound);
  EXPECT_EQ(decider.calls().bind, 8);
  EXPECT_GT(driver.connections_opened(), 1);  // concurrent calls need their own connections
}

TEST_F(DriverTest, FilterTimeoutFailsTheCycleUnlessIgnorable) {
  FakeDecider::Script script;
  script.delay = 2s;  // far beyond the timeout, so a loaded machine cannot blur the two
  decider.set_script(script);
  auto cfg = config(extender);
  cfg.http_timeout = 100ms;
  SchedulerDriver strict(cfg);
  const auto start = std::chrono::steady_clock::now();
  const auto failed = strict.schedule(make_pod("p"), make_nodes({{"a", 0}, {"b", 0}}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  EXPECT_EQ(failed.result, Result::kError);
  EXPECT_THAT(failed.error, HasSubstr("Client.Timeout exceeded"));

  cfg.ignorable = true;
  SchedulerDriver lenient(cfg);
  const auto skipped = lenient.schedule(make_pod("p"), make_nodes({{"a", 0}, {"b", 50}}));
  EXPECT_EQ(skipped.result, Result::kScheduled);
  EXPECT_TRUE(skipped.extender_skipped);
  EXPECT_EQ(skipped.node, "b");  // prioritize timed out too: ignored, in-tree scores decide
}

TEST_F(DriverTest, PrioritizeErrorsAreIgnored) {
  FakeDecider::Script script;
  script.prioritize_error = "scores unavailable";
  decider.set_script(script);
  SchedulerDriver driver(config(extender));
  const auto outcome = driver.schedule(make_pod("p"), make_nodes({{"a", 10}, {"b", 20}}));
  EXPECT_EQ(outcome.result, Result::kScheduled);
  EXPECT_TRUE(outcome.prioritize_called);
  EXPECT_EQ(outcome.node, "b");
}

TEST_F(DriverTest, PreemptRoundTripsUidsAndDropsNodes) {
  FakeDecider::Script script;
  script.preempt_drop = {"b"};
  decider.set_script(script);
  auto nodes = make_nodes({{"a", 0}, {"b", 0}});
  nodes[0].pods = {make_pod("v1"), make_pod("v2")};
  nodes[1].pods = {make_pod("v3")};
  std::map<std::string, protocol::Victims> candidates;
  candidates["a"].pods = {nodes[0].pods[0]};
  candidates["a"].num_pdb_violations = 1;
  candidates["b"].pods = {nodes[1].pods[0]};
  for (bool cache_capable : {true, false}) {
    auto cfg = config(extender);
    cfg.node_cache_capable = cache_capable;
    SchedulerDriver driver(cfg);
    const auto call = driver.preempt(make_pod("p"), candidates, nodes);
    EXPECT_EQ(call.error, "");
    ASSERT_EQ(call.victims.size(), 1u);
    EXPECT_EQ(pod_uid(call.victims.at("a").pods.at(0)), "uid-v1");
    EXPECT_EQ(call.victims.at("a").num_pdb_violations, 1);
  }
  const auto calls = decider.calls();
  ASSERT_EQ(calls.preempt_candidates.size(), 2u);
  EXPECT_EQ(calls.preempt_candidates[0], calls.preempt_candidates[1]);
  EXPECT_EQ(calls.preempt_candidates[0].at("b").pods.at(0).uid, "uid-v3");
}

// A foreign extender with scripted raw replies, to check the driver applies the scheduler's
// reply rules (lowercase keys, unknown names, null lists, status codes).
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<http::HttpReply(const http::HttpRequest&)> handler)
      : server_(options(), std::move(handler)) {
    server_.start();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()) + "/x"; }

 private:
  static http::ServerOptions options() {
    http::ServerOptions options;
    options.bind_address = "127.0.0.1";
    options.port = 0;
    return options;
  }
  http::HttpServer server_;
};

http::HttpReply reply_with(unsigned status, std::string body) {
  http::HttpReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

TEST(DriverReplyRules, AppliesTheSchedulersChecksToForeignReplies) {
  std::string next_body;
  unsigned next_status = 200;
  std::string last_body;
  ScriptedServer server([&](const http::HttpRequest& request) {
    last_body = std::string(request.body);
    return reply_with(next_status, next_body);
  });
  ExtenderConfig cfg;
  cfg.url_prefix = server.url();
  SchedulerDriver driver(cfg);
  const auto nodes = make_nodes({{"a", 0}, {"b", 0}});
  const std::vector<const DriverNode*> both = {&nodes[0], &nodes[1]};

  next_body = R"({"nodenames":["b"],"failednodes":{"a":"lowercase ok"}})";
  auto call = driver.filter(make_pod("p"), both);
  EXPECT_THAT(call.feasible, ElementsAre("b"));
  EXPECT_EQ(call.statuses.at("a").reason, "lowercase ok");
  EXPECT_EQ(last_body.find(R"("Nodes":null,"NodeNames":["a","b"])") != std::string::npos, true);

  next_body = R"({"NodeNames":["ghost"]})";
  EXPECT_THAT(driver.filter(make_pod("p"), both).error,
              HasSubstr("not found in the input node list"));

  next_body = R"({"Nodes":null,"NodeNames":null})";
  call = driver.filter(make_pod("p"), both);
  EXPECT_EQ(call.error, "");
  EXPECT_TRUE(call.feasible.empty());  // both null: every node rejected

  next_body =
      R"({"NodeNames":["a"],"FailedNodes":{"b":"x"},"FailedAndUnresolvableNodes":{"b":"y"}})";
  EXPECT_EQ(driver.filter(make_pod("p"), both).statuses.at("b").code,
            StatusCode::kUnschedulableAndUnresolvable);

  next_body = R"({"NodeNames":["a"],"Error":"not synced"})";
  EXPECT_EQ(driver.filter(make_pod("p"), both).error, "not synced");

  next_status = 503;
  next_body = "{}";
  EXPECT_THAT(driver.filter(make_pod("p"), both).error, HasSubstr("code 503"));

  next_status = 200;
  next_body = R"([{"Host":"a","Score":50},{"Host":"zzz","Score":10}])";
  const auto scores = driver.prioritize(make_pod("p"), both);
  EXPECT_EQ(scores.weighted_scores.at("a"), 500);  // unclamped by the scheduler
  EXPECT_FALSE(scores.weighted_scores.contains("zzz"));

  next_body = "{not json";
  EXPECT_THAT(driver.prioritize(make_pod("p"), both).error, HasSubstr("decoding"));
}

TEST(DriverReplyRules, PreemptRejectsUnknownUidsAndEmptyVictimLists) {
  std::string next_body;
  ScriptedServer server([&](const http::HttpRequest&) { return reply_with(200, next_body); });
  ExtenderConfig cfg;
  cfg.url_prefix = server.url();
  cfg.preempt_verb = "preempt";
  SchedulerDriver driver(cfg);
  auto nodes = make_nodes({{"a", 0}});
  nodes[0].pods = {make_pod("v1")};
  std::map<std::string, protocol::Victims> candidates;
  candidates["a"].pods = nodes[0].pods;

  next_body = R"({"NodeNameToMetaVictims":{"a":{"Pods":[{"UID":"not-there"}]}}})";
  EXPECT_THAT(driver.preempt(make_pod("p"), candidates, nodes).error,
              HasSubstr("but the pod is not found on that node"));
  next_body = R"({"NodeNameToMetaVictims":{"a":{"Pods":[]}}})";
  EXPECT_THAT(driver.preempt(make_pod("p"), candidates, nodes).error,
              HasSubstr("expected at least one victim"));
  cfg.ignorable = true;
  SchedulerDriver lenient(cfg);
  const auto dropped = lenient.preempt(make_pod("p"), candidates, nodes);
  EXPECT_EQ(dropped.error, "");
  EXPECT_TRUE(dropped.victims.empty());
}

TEST(DriverConfig, BuildsVerbPathsLikeTheScheduler) {
  ExtenderConfig cfg;
  cfg.url_prefix = "http://127.0.0.1:8888/numa/v1///";
  EXPECT_EQ(SchedulerDriver(cfg).verb_path("filter"), "/numa/v1/filter");
  cfg.url_prefix = "http://127.0.0.1:8888";
  EXPECT_EQ(SchedulerDriver(cfg).verb_path("scheduler/filter"), "/scheduler/filter");
  cfg.url_prefix = "ftp://x";
  EXPECT_THROW(SchedulerDriver{cfg}, std::invalid_argument);
}

}  // namespace
}  // namespace numalign::extender::testing
