#include "controller/nrt_lifecycle/nrt_reconciler.h"

#include <gtest/gtest.h>

#include "controller/nrt_lifecycle/stale_attributes.h"
#include "kube/clock/time_format.h"
#include "kube/objects/node_resource_topology.h"
#include "kube/rest/resource.h"
#include "kube/testing/fake_api_client.h"

namespace numalign::controller {
namespace {

using namespace std::chrono_literals;
using kube::Json;
namespace res = kube::resources;

class NrtReconcilerTest : public ::testing::Test {
 protected:
  void AddNode(const std::string& name) {
    api->Put(res::Nodes(), {{"metadata", {{"name", name}}}});
  }
  void AddNrt(const std::string& name, kube::Clock::TimePoint heartbeat) {
    api->Put(
        res::NodeResourceTopologies(),
        {{"metadata", {{"name", name}}},
         {"topologyPolicies", {"None"}},
         {"attributes",
          {{{"name", "numalign.io/stateGeneration"}, {"value", "7"}},
           {{"name", std::string(kPinningModeAttribute)}, {"value", "agent"}},
           {{"name", std::string(kHeartbeatAttribute)}, {"value", kube::FormatTime(heartbeat)}}}},
         {"zones", Json::array()}});
  }
  std::optional<std::string> Attribute(const std::string& nrt, std::string_view name) {
    auto object = api->Find(res::NodeResourceTopologies(), "", nrt);
    if (!object) return std::nullopt;
    return kube::ParseNodeResourceTopology(*object).Attribute(name);
  }

  std::shared_ptr<kube::FakeApiClient> api = std::make_shared<kube::FakeApiClient>();
  std::shared_ptr<kube::FakeClock> clock = std::make_shared<kube::FakeClock>();
  std::shared_ptr<ControllerMetrics> metrics = std::make_shared<ControllerMetrics>();
  NrtLifecycleReconciler reconciler{api, clock, metrics, {.stale_after = 3min}};
};

TEST_F(NrtReconcilerTest, DeletesTheNrtOfANodeThatIsGoneAndKeepsTheOthers) {
  AddNode("worker-1");
  AddNrt("worker-1", clock->Now());
  AddNrt("worker-gone", clock->Now());
  reconciler.ReconcileOnce();
  EXPECT_TRUE(api->Find(res::NodeResourceTopologies(), "", "worker-1"));
  EXPECT_FALSE(api->Find(res::NodeResourceTopologies(), "", "worker-gone"));
  EXPECT_NE(metrics->Render().find("numalign_controller_orphaned_nrts_deleted_total 1"),
            std::string::npos);
}

TEST_F(NrtReconcilerTest, MarksAStaleNodeOnceKeepingTheAgentsAttributesAndClearsItOnReturn) {
  AddNode("worker-1");
  AddNrt("worker-1", clock->Now());
  reconciler.ReconcileOnce();
  EXPECT_FALSE(Attribute("worker-1", kStaleAttribute));

  clock->Advance(4min);
  reconciler.ReconcileOnce();
  EXPECT_EQ(Attribute("worker-1", kStaleAttribute), "true");
  EXPECT_TRUE(Attribute("worker-1", kStaleReasonAttribute));
  EXPECT_EQ(Attribute("worker-1", kStaleSinceAttribute), kube::FormatTime(clock->Now()));
  EXPECT_EQ(Attribute("worker-1", "numalign.io/stateGeneration"), "7");

  api->ClearActions();
  clock->Advance(1min);
  reconciler.ReconcileOnce();
  EXPECT_TRUE(api->actions().empty()) << "an already marked node is not rewritten";

  // The agent returns, writing a fresh heartbeat by patch (the mark survives that write).
  auto object = *api->Find(res::NodeResourceTopologies(), "", "worker-1");
  for (auto& a : object["attributes"]) {
    if (a["name"] == kHeartbeatAttribute) a["value"] = kube::FormatTime(clock->Now());
  }
  api->Put(res::NodeResourceTopologies(), object);
  reconciler.ReconcileOnce();
  EXPECT_FALSE(Attribute("worker-1", kStaleAttribute));
  EXPECT_FALSE(Attribute("worker-1", kStaleReasonAttribute));
  EXPECT_EQ(Attribute("worker-1", "numalign.io/stateGeneration"), "7");
}

TEST_F(NrtReconcilerTest, MalformedNrtDoesNotStopTheOthers) {
  AddNode("bad");
  AddNode("worker-1");
  api->Put(res::NodeResourceTopologies(), {{"metadata", {{"name", "bad"}}}, {"zones", "oops"}});
  AddNrt("worker-1", clock->Now() - 10min);
  EXPECT_NO_THROW(reconciler.ReconcileOnce());
  EXPECT_EQ(Attribute("worker-1", kStaleAttribute), "true");
}

TEST(StaleAttributesPatch, IsConditionalOnTheResourceVersion) {
  Json nrt = {{"metadata", {{"name", "n"}, {"resourceVersion", "42"}}},
              {"attributes", Json::array()}};
  Json patch = StaleAttributesPatch(nrt, true, "r", "t");
  EXPECT_EQ(patch["metadata"]["resourceVersion"], "42");
  EXPECT_EQ(patch["attributes"].size(), 3u);
}

}  // namespace
}  // namespace numalign::controller
