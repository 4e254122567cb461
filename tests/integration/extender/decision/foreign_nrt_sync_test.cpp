// NodeView with NRTs from another producer: reserve-cache accounting driven by the NRT's pod-set
// fingerprint (extender/view/foreign_nrt_sync.h).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "extender/view/node_view.h"
#include "kube/objects/pod_fingerprint.h"
#include "numa/pod/pod_spec.h"
#include "test_cluster.h"

namespace numalign::extender {
namespace {

using testing::MakeNrt;
using testing::MakePod;
using testing::SetAttribute;

std::string Fingerprint(const std::vector<std::string>& names) {
  kube::PodFingerprint fingerprint;
  for (const auto& name : names) fingerprint.Add("default", name);
  return fingerprint.Sign();
}

// A single-numa-node NRT from another producer: node-0 has 7 CPUs available, node-1 `zone1`.
kube::Json ForeignNrt(const std::string& zone1_cpus) {
  kube::Json nrt = MakeNrt("n1", "single-numa-node", 2, 8, /*agent_mode=*/false);
  nrt["zones"][1]["resources"][0]["available"] = zone1_cpus;
  return nrt;
}

kube::Json WithFingerprint(kube::Json nrt, const std::vector<std::string>& pods,
                           const std::string& method = "with-exclusive-resources") {
  SetAttribute(nrt, "nodeTopologyPodsFingerprint", Fingerprint(pods));
  SetAttribute(nrt, "nodeTopologyPodsFingerprintMethod", method);
  return nrt;
}

kube::Json OnNode(kube::Json pod, const std::string& phase) {
  pod["spec"]["nodeName"] = "n1";
  pod["status"] = {{"phase", phase}};
  return pod;
}

// Whether the node admits a Guaranteed pod of `cpus` CPUs (on one NUMA node) right now.
bool Fits(const NodeView& view, const std::string& cpus) {
  auto state = view.Get("n1");
  EXPECT_TRUE(state && state->admitter) << (state ? state->unmanaged_reason : "no state");
  if (!state || !state->admitter) return false;
  numa::NodeAdmitter probe = *state->admitter;
  std::string error;
  auto spec = numa::ParsePodJson(MakePod("probe", cpus, "1Gi"), &error);
  return probe.Admit(numa::ComputePodRequests(*spec)).admit;
}

TEST(ForeignNrtSyncViewTest, MatchingFingerprintChargesNothing) {
  NodeView view;
  view.UpsertPod(OnNode(MakePod("p", "6", "1Gi"), "Running"));
  // The producer counted p (node-1 down to 2) and says so with its fingerprint.
  view.UpsertNrt(WithFingerprint(ForeignNrt("2"), {"p"}));
  EXPECT_TRUE(view.Get("n1")->pod_uids.empty());
  EXPECT_TRUE(Fits(view, "7"));  // node-0 is not charged for p
}

TEST(ForeignNrtSyncViewTest, MismatchChargesEveryZoneUntilAMatchingNrtIsPublished) {
  NodeView view;
  view.UpsertPod(OnNode(MakePod("p", "6", "1Gi"), "Running"));
  // Published before p ran: neither its counts nor its fingerprint include p.
  view.UpsertNrt(WithFingerprint(ForeignNrt("8"), {}));
  EXPECT_EQ(view.Get("n1")->pod_uids.count("uid-p"), 1u);
  // p's 6 CPUs are off both zones (7 -> 1, 8 -> 2): where the kubelet put it is unknown.
  EXPECT_FALSE(Fits(view, "3"));
  EXPECT_TRUE(Fits(view, "2"));
  // The producer republishes with p counted on node-1: the charge is gone.
  view.UpsertNrt(WithFingerprint(ForeignNrt("2"), {"p"}));
  EXPECT_TRUE(view.Get("n1")->pod_uids.empty());
  EXPECT_TRUE(Fits(view, "7"));
  EXPECT_FALSE(Fits(view, "8"));
}

TEST(ForeignNrtSyncViewTest, TrustedNrtStaysInUseWhileNewerOnesDoNotMatch) {
  NodeView view;
  view.UpsertPod(OnNode(MakePod("p", "6", "1Gi"), "Running"));
  view.UpsertNrt(WithFingerprint(ForeignNrt("2"), {"p"}));
  // q lands on the node: the trusted NRT (7, 2) does not account it, q is charged (3, 0).
  view.UpsertPod(OnNode(MakePod("q", "4", "1Gi"), "Running"));
  EXPECT_EQ(view.Get("n1")->pod_uids.count("uid-q"), 1u);
  EXPECT_FALSE(Fits(view, "4"));
  EXPECT_TRUE(Fits(view, "3"));
  // A newer NRT for another pod set says nothing about q: its counts (7, 8) are not used.
  view.UpsertNrt(WithFingerprint(ForeignNrt("8"), {"p", "r"}));
  EXPECT_FALSE(Fits(view, "4"));
  // q goes away before the producer saw it: the view's pods equal the trusted NRT's again.
  view.DeletePod(OnNode(MakePod("q", "4", "1Gi"), "Running"));
  view.UpsertNrt(WithFingerprint(ForeignNrt("2"), {"p"}));
  EXPECT_TRUE(view.Get("n1")->pod_uids.empty());
  EXPECT_TRUE(Fits(view, "7"));
}

TEST(ForeignNrtSyncViewTest, MatchDoesNotCoverPodsNoKubeletAdmittedYet) {
  NodeView view;
  // p is bound but Pending: it is in no fingerprint, so an NRT matching the node's pods (none)
  // says nothing about it, and it stays charged.
  view.UpsertPod(OnNode(MakePod("p", "6", "1Gi"), "Pending"));
  view.UpsertNrt(WithFingerprint(ForeignNrt("8"), {}));
  EXPECT_EQ(view.Get("n1")->pod_uids.count("uid-p"), 1u);
  EXPECT_FALSE(Fits(view, "3"));
  // Running now, not yet in a published fingerprint: still charged.
  view.UpsertPod(OnNode(MakePod("p", "6", "1Gi"), "Running"));
  EXPECT_FALSE(Fits(view, "3"));
  view.UpsertNrt(WithFingerprint(ForeignNrt("2"), {"p"}));
  EXPECT_TRUE(Fits(view, "7"));
}

// p (Guaranteed, 6 CPUs) and a Burstable pod run on n1; then `nrt` is published.
void RunTwoPodsThenPublish(NodeView& view, const kube::Json& nrt) {
  view.UpsertPod(OnNode(MakePod("p", "6", "1Gi"), "Running"));
  view.UpsertPod(OnNode(MakePod("shared", "1", "1Gi", /*guaranteed=*/false), "Running"));
  view.UpsertNrt(nrt);
}

TEST(ForeignNrtSyncViewTest, MethodWithExclusiveResourcesLeavesSharedPoolPodsOut) {
  // with-exclusive-resources: the Burstable pod is in neither fingerprint, the NRT matches.
  NodeView exclusive;
  RunTwoPodsThenPublish(exclusive, WithFingerprint(ForeignNrt("2"), {"p"}));
  EXPECT_TRUE(exclusive.Get("n1")->pod_uids.empty());
  EXPECT_TRUE(Fits(exclusive, "7"));
  // all: the same pod set misses the Burstable pod, so it does not match and p is charged.
  NodeView all;
  RunTwoPodsThenPublish(all, WithFingerprint(ForeignNrt("2"), {"p"}, "all"));
  EXPECT_EQ(all.Get("n1")->pod_uids.count("uid-p"), 1u);
  EXPECT_FALSE(Fits(all, "7"));
  all.UpsertNrt(WithFingerprint(ForeignNrt("2"), {"p", "shared"}, "all"));
  EXPECT_TRUE(all.Get("n1")->pod_uids.empty());
  EXPECT_TRUE(Fits(all, "7"));
}

TEST(ForeignNrtSyncViewTest, LegacyAnnotationFingerprintsAllPods) {
  kube::Json nrt = ForeignNrt("2");
  nrt["metadata"]["annotations"]["topology.node.k8s.io/fingerprint"] = Fingerprint({"p", "shared"});
  NodeView matching;
  RunTwoPodsThenPublish(matching, nrt);
  EXPECT_TRUE(matching.Get("n1")->pod_uids.empty());
  EXPECT_TRUE(Fits(matching, "7"));
  // A method attribute does not apply to the annotation: it always covers all pods.
  nrt["metadata"]["annotations"]["topology.node.k8s.io/fingerprint"] = Fingerprint({"p"});
  SetAttribute(nrt, "nodeTopologyPodsFingerprintMethod", "with-exclusive-resources");
  NodeView mismatching;
  RunTwoPodsThenPublish(mismatching, nrt);
  EXPECT_EQ(mismatching.Get("n1")->pod_uids.count("uid-p"), 1u);
  EXPECT_FALSE(Fits(mismatching, "7"));
}

TEST(ForeignNrtSyncViewTest, WithoutFingerprintOnlyPodsNotRunningYetCountOnTop) {
  NodeView view;
  view.UpsertPod(OnNode(MakePod("p", "6", "1Gi"), "Running"));
  view.UpsertPod(OnNode(MakePod("q", "6", "1Gi"), "Pending"));
  // No fingerprint: nothing says what the NRT counts, and it could never resync, so the view
  // keeps its earlier rule: Running pods are in `available` (p on node-1, 2 left), the others
  // are re-decided on top (q takes 6 of node-0's 7).
  view.UpsertNrt(ForeignNrt("2"));
  auto state = view.Get("n1");
  EXPECT_EQ(state->pod_uids.count("uid-p"), 0u);
  EXPECT_EQ(state->pod_uids.count("uid-q"), 1u);
  EXPECT_TRUE(Fits(view, "2"));
  EXPECT_FALSE(Fits(view, "3"));
}

}  // namespace
}  // namespace numalign::extender
