#include "controller/defragmentation/defragmenter.h"

#include <gtest/gtest.h>

#include "controller/defragmentation/cluster_snapshot.h"
#include "controller/defragmentation/listing_cluster_source.h"
#include "controller/testing/numa_scenario.h"
#include "kube/rest/resource.h"
#include "kube/testing/fake_api_client.h"

namespace numalign::controller {
namespace {

using kube::Json;
namespace res = kube::resources;
using testing::AgentNrt;
using testing::ScenarioPod;

class DefragmenterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // worker-1, 4 CPUs per zone: "mover" (3 CPUs, movable) on zone 0, "fixed" (3) on zone 1.
    // The pending pod needs 4 CPUs in one zone.
    api->Put(res::Nodes(), {{"metadata", {{"name", "worker-1"}}}});
    api->Put(res::NodeResourceTopologies(), AgentNrt("worker-1", 4));
    Json mover =
        ScenarioPod({.name = "mover", .container_cpus = {3}, .node = "worker-1", .movable = true});
    mover["metadata"]["labels"]["app"] = "batch";
    api->Put(res::Pods(), mover);
    api->Put(
        res::Pods(),
        ScenarioPod(
            {.name = "fixed", .container_cpus = {3}, .node = "worker-1", .created_second = 1}));
    api->Put(res::Pods(), ScenarioPod({.name = "big", .container_cpus = {4}, .priority = 100}));
  }
  Defragmenter Make(DefragmentMode mode) {
    return Defragmenter(std::make_shared<ListingClusterSource>(api), api, clock, events, metrics,
                        {.mode = mode, .scheduler_name = "numalign-scheduler"});
  }
  std::shared_ptr<kube::FakeApiClient> api = std::make_shared<kube::FakeApiClient>();
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
  EXPECT_EQ(metrics->evictions("evicted"), 0u);
}

TEST_F(DefragmenterTest, AnNrtWhoseNodeIsGoneIsNotPlannedOn) {
  api->Delete(res::Nodes(), "", "worker-1");
  auto defrag = Make(DefragmentMode::kDryRun);
  defrag.ReconcileOnce();
  EXPECT_EQ(defrag.LastPlans().at("ns/big").outcome, PlanOutcome::kNoPlan);
  EXPECT_TRUE(events->events().empty());
}

TEST_F(DefragmenterTest, EvictModeEvictsThroughTheEvictionApi) {
  auto defrag = Make(DefragmentMode::kEvict);
  defrag.ReconcileOnce();
  bool evicted = false;
  for (const auto& a : api->actions()) evicted |= a == "POST pods ns/mover/eviction";
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
