#include "controller/defragmentation/defragmenter.h"

#include <gtest/gtest.h>

#include "controller/defragmentation/cluster_snapshot.h"
#include "controller/testing/fake_api_client.h"
#include "kube/rest/resource.h"

namespace numalign::controller {
namespace {

using kube::Json;
namespace res = kube::resources;

Json Nrt(const std::string& node, int free0, int free1) {
  auto zone = [](int id, int free) {
    return Json{{"name", "node-" + std::to_string(id)},
                {"type", "Node"},
                {"resources",
                 {{{"name", "cpu"},
                   {"capacity", "8"},
                   {"allocatable", "8"},
                   {"available", std::to_string(free)}}}}};
  };
  return {{"metadata", {{"name", node}}}, {"zones", {zone(0, free0), zone(1, free1)}}};
}

Json Pod(const std::string& name, const std::string& node, int cpus, int numa, bool movable,
         int priority = 0) {
  Json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata",
               {{"name", name},
                {"namespace", "ns"},
                {"uid", "uid-" + name},
                {"labels", {{"app", "batch"}}}}},
              {"spec",
               {{"nodeName", node},
                {"priority", priority},
                {"schedulerName", "numalign-scheduler"},
                {"containers",
                 {{{"name", "c"},
                   {"resources",
                    {{"requests", {{"cpu", std::to_string(cpus)}, {"memory", "1Gi"}}},
                     {"limits", {{"cpu", std::to_string(cpus)}, {"memory", "1Gi"}}}}}}}}}},
              {"status", {{"phase", "Running"}, {"qosClass", "Guaranteed"}}}};
  if (movable) pod["metadata"]["labels"]["numalign.io/movable"] = "true";
  if (!node.empty()) {
    pod["metadata"]["annotations"]["numalign.io/allocation"] =
        R"({"version":"v1","node":")" + node + R"(","podUID":"uid-)" + name +
        R"(","containers":[{"name":"c","exclusiveCPUs":)" + std::to_string(cpus) +
        R"(,"numa":{"cpu":[)" + std::to_string(numa) + R"(]}}]})";
  }
  return pod;
}

Json Pending(const std::string& name, int cpus, int priority) {
  Json pod = Pod(name, "", cpus, 0, false, priority);
  pod["spec"].erase("nodeName");
  pod["status"] = {
      {"phase", "Pending"},
      {"qosClass", "Guaranteed"},
      {"conditions",
       {{{"type", "PodScheduled"}, {"status", "False"}, {"reason", "Unschedulable"}}}}};
  return pod;
}

class DefragmenterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // worker-1: 2 CPUs free per zone; a movable 2-CPU pod on zone 0. The pending pod needs 4.
    api->Put(res::NodeResourceTopologies(), Nrt("worker-1", 2, 2));
    api->Put(res::Pods(), Pod("mover", "worker-1", 2, 0, true));
    api->Put(res::Pods(), Pod("fixed", "worker-1", 2, 1, false));
    api->Put(res::Pods(), Pending("big", 4, 100));
  }
  Defragmenter Make(DefragmentMode mode) {
    return Defragmenter(api, clock, events, metrics,
                        {.mode = mode, .scheduler_name = "numalign-scheduler"});
  }
  std::shared_ptr<testing::FakeApiClient> api = std::make_shared<testing::FakeApiClient>();
  std::shared_ptr<kube::FakeClock> clock = std::make_shared<kube::FakeClock>();
  std::shared_ptr<kube::FakeEventRecorder> events = std::make_shared<kube::FakeEventRecorder>();
  std::shared_ptr<ControllerMetrics> metrics = std::make_shared<ControllerMetrics>();
};

TEST_F(DefragmenterTest, DryRunReportsThePlanOnceAndEvictsNothing) {
  auto defrag = Make(DefragmentMode::kDryRun);
  defrag.ReconcileOnce();
  defrag.ReconcileOnce();
  auto plans = defrag.LastPlans();
  ASSERT_EQ(plans.at("ns/big").outcome, PlanOutcome::kPlanned);
  ASSERT_EQ(plans.at("ns/big").evictions.size(), 1u);
  EXPECT_EQ(plans.at("ns/big").evictions[0].name, "mover");
  ASSERT_EQ(events->events().size(), 1u);
  EXPECT_NE(events->events()[0].find("ns/mover"), std::string::npos) << events->events()[0];
  EXPECT_TRUE(api->Find(res::Pods(), "ns", "mover"));
}

TEST_F(DefragmenterTest, EvictModeEvictsThroughTheEvictionApi) {
  auto defrag = Make(DefragmentMode::kEvict);
  defrag.ReconcileOnce();
  bool evicted = false;
  for (const auto& a : api->actions()) evicted |= a == "eviction pods ns/mover";
  EXPECT_TRUE(evicted);
  EXPECT_EQ(metrics->evictions("evicted"), 1u);
}

TEST_F(DefragmenterTest, RefusedEvictionIsCountedAndDoesNotThrow) {
  api->BlockEviction("ns", "mover");
  auto defrag = Make(DefragmentMode::kEvict);
  EXPECT_NO_THROW(defrag.ReconcileOnce());
  EXPECT_EQ(metrics->evictions("blocked"), 1u);
  EXPECT_TRUE(api->Find(res::Pods(), "ns", "mover"));
}

TEST_F(DefragmenterTest, PdbFromTheClusterBlocksThePlan) {
  api->Put(PodDisruptionBudgets(), {{"metadata", {{"name", "batch"}, {"namespace", "ns"}}},
                                    {"spec", {{"selector", {{"matchLabels", {{"app", "batch"}}}}}}},
                                    {"status", {{"disruptionsAllowed", 0}}}});
  auto defrag = Make(DefragmentMode::kEvict);
  defrag.ReconcileOnce();
  EXPECT_EQ(defrag.LastPlans().at("ns/big").outcome, PlanOutcome::kBlockedByPdb);
  EXPECT_EQ(metrics->evictions("evicted"), 0u);
}

TEST(SelectorMatches, LabelsAndExpressions) {
  std::map<std::string, std::string> labels{{"app", "web"}, {"tier", "a"}};
  EXPECT_TRUE(SelectorMatches(Json::object(), labels));
  EXPECT_TRUE(SelectorMatches({{"matchLabels", {{"app", "web"}}}}, labels));
  EXPECT_FALSE(SelectorMatches({{"matchLabels", {{"app", "db"}}}}, labels));
  EXPECT_TRUE(SelectorMatches(
      {{"matchExpressions", {{{"key", "tier"}, {"operator", "In"}, {"values", {"a", "b"}}}}}},
      labels));
  EXPECT_FALSE(
      SelectorMatches({{"matchExpressions", {{{"key", "x"}, {"operator", "Exists"}}}}}, labels));
  EXPECT_FALSE(
      SelectorMatches({{"matchExpressions", {{{"key", "x"}, {"operator", "Bogus"}}}}}, labels));
}

}  // namespace
}  // namespace numalign::controller
