// The node view replays the agent's confirmed pinnings (numalign.io/pinned) of pods that reached
// an agent-mode node without the extender, instead of re-deciding them in its own order.
#include <gtest/gtest.h>

#include "extender/view/node_view.h"
#include "extender/view/nrt_node_model.h"
#include "numa/allocation/pinned_annotation.h"
#include "numa/pod/pod_spec.h"
#include "test_cluster.h"

namespace numalign::extender {
namespace {

using testing::MakeNrt;
using testing::MakePod;

// MakeNrt's two zones of 8 CPUs with the CPU ids an agent publishes: interleaved, as on SMT
// machines, so they differ from the view's own numbering.
kube::Json NrtWithZoneCpus(const std::string& node) {
  kube::Json nrt = MakeNrt(node, "single-numa-node");
  const char* cpus[] = {"0-3,8-11", "4-7,12-15"};
  for (int z = 0; z < 2; ++z) {
    nrt["zones"][z]["attributes"] = {{{"name", kZoneCpusAttribute}, {"value", cpus[z]}}};
  }
  return nrt;
}

// A Running pod placed by hand (spec.nodeName, no numalign.io/allocation), created in the same
// second as the others, with what the agent confirmed it pinned.
kube::Json HandPlaced(const std::string& name, const std::string& cpus,
                      const std::vector<int>& pinned_cpus, int numa_node,
                      const std::string& pinned_node = "n1") {
  kube::Json pod = MakePod(name, cpus, "1Gi", true, "2026-11-22T10:00:00Z");
  pod["spec"]["nodeName"] = "n1";
  pod["status"] = {{"phase", "Running"}};
  numa::PinnedRecord record;
  record.node = pinned_node;
  record.pod_uid = "uid-" + name;
  record.pod = {pinned_cpus, {numa_node}};
  record.containers = {{"c", {pinned_cpus, {numa_node}}, true}};
  pod["metadata"]["annotations"] = {
      {std::string(numa::kPinnedAnnotation), numa::SerializePinnedRecord(record)}};
  return pod;
}

bool AdmitsThreeCpus(const NodeView& view) {
  auto state = view.Get("n1");
  EXPECT_TRUE(state && state->admitter);
  std::string error;
  const auto three =
      numa::ComputePodRequests(*numa::ParsePodJson(MakePod("three", "3", "1Gi"), &error));
  return state->admitter->Evaluate(three).admit;
}

// The agent admitted zed (6 CPUs) first, on NUMA node 0 (7 allocatable CPUs), then amy (5) on
// node 1 (8). "uid-amy" sorts first, so re-deciding in the view's order puts amy on node 0 and zed
// on node 1, leaving no node with 3 free CPUs where the agent has one.
TEST(PinnedReplayTest, HandPlacedPodsFollowTheAgentsPinning) {
  NodeView view;
  view.UpsertNrt(NrtWithZoneCpus("n1"));
  view.UpsertPod(HandPlaced("zed", "6", {1, 2, 3, 8, 9, 10}, 0));
  view.UpsertPod(HandPlaced("amy", "5", {4, 5, 6, 12, 13}, 1));
  auto state = view.Get("n1");
  ASSERT_TRUE(state && state->admitter);
  EXPECT_EQ(state->pod_uids, (std::set<std::string>{"uid-amy", "uid-zed"}));
  EXPECT_TRUE(state->replay_rejections.empty());
  EXPECT_TRUE(AdmitsThreeCpus(view)) << "node 1 has 3 CPUs left after the agent's pinning";

  // A replica that lists the pods before the NRT rebuilds the same accounting.
  NodeView rebuilt;
  rebuilt.UpsertPod(HandPlaced("amy", "5", {4, 5, 6, 12, 13}, 1));
  rebuilt.UpsertPod(HandPlaced("zed", "6", {1, 2, 3, 8, 9, 10}, 0));
  rebuilt.UpsertNrt(NrtWithZoneCpus("n1"));
  EXPECT_EQ(rebuilt.Get("n1")->admitter->Checkpoint(), state->admitter->Checkpoint());
}

// The confirmation usually comes in a later update of a pod the view already counts.
TEST(PinnedReplayTest, ALaterConfirmationReplacesTheReDecision) {
  NodeView view;
  view.UpsertNrt(NrtWithZoneCpus("n1"));
  kube::Json zed = HandPlaced("zed", "6", {1, 2, 3, 8, 9, 10}, 0);
  kube::Json amy = HandPlaced("amy", "5", {4, 5, 6, 12, 13}, 1);
  for (auto pod : {zed, amy}) {
    pod["metadata"].erase("annotations");
    view.UpsertPod(pod);
  }
  EXPECT_FALSE(AdmitsThreeCpus(view)) << "re-decided in uid order before the confirmations";
  view.UpsertPod(zed);
  view.UpsertPod(amy);
  EXPECT_TRUE(AdmitsThreeCpus(view));
}

// Without the zones' CPU lists (an agent older than numalign.io/cpus) or with a record for
// another node, nothing tells where the agent pinned: the view re-decides as before.
TEST(PinnedReplayTest, ReDecidedWithoutZoneCpusOrForAnotherNodesRecord) {
  NodeView older_agent;
  older_agent.UpsertNrt(MakeNrt("n1", "single-numa-node"));
  older_agent.UpsertPod(HandPlaced("zed", "6", {1, 2, 3, 8, 9, 10}, 0));
  older_agent.UpsertPod(HandPlaced("amy", "5", {4, 5, 6, 12, 13}, 1));
  EXPECT_EQ(older_agent.Get("n1")->pod_uids, (std::set<std::string>{"uid-amy", "uid-zed"}));
  EXPECT_FALSE(AdmitsThreeCpus(older_agent));

  NodeView moved;
  moved.UpsertNrt(NrtWithZoneCpus("n1"));
  moved.UpsertPod(HandPlaced("zed", "6", {1, 2, 3, 8, 9, 10}, 0, "n0"));
  moved.UpsertPod(HandPlaced("amy", "5", {4, 5, 6, 12, 13}, 1, "n0"));
  EXPECT_EQ(moved.Get("n1")->pod_uids, (std::set<std::string>{"uid-amy", "uid-zed"}));
  EXPECT_FALSE(AdmitsThreeCpus(moved));
}

// A confirmation the node cannot hold (more CPUs than the zone has) is refused by
// ApplyAllocationDecision; the pod is then re-decided and still counted.
TEST(PinnedReplayTest, ARefusedConfirmationFallsBackToReDeciding) {
  NodeView view;
  view.UpsertNrt(NrtWithZoneCpus("n1"));
  view.UpsertPod(HandPlaced("big", "8", {0, 1, 2, 3, 8, 9, 10, 11}, 0));  // zone 0 has 7
  auto state = view.Get("n1");
  EXPECT_EQ(state->pod_uids, (std::set<std::string>{"uid-big"}));
  EXPECT_TRUE(state->replay_rejections.empty());
}

}  // namespace
}  // namespace numalign::extender
