#include "extender/decider/numa_decider.h"

#include <gtest/gtest.h>

#include "extender/bind/decision_builder.h"
#include "kube/objects/pod.h"
#include "kube/rest/resource.h"
#include "kube/testing/fake_api_client.h"
#include "numa/allocation/allocation_annotation.h"
#include "numa/pod/pod_spec.h"
#include "test_cluster.h"

namespace numalign::extender {
namespace {

using testing::MakeNrt;
using testing::MakePod;

numa::PodRequests Requests(const kube::Json& pod) {
  std::string error;
  auto spec = numa::ParsePodJson(pod, &error);
  EXPECT_TRUE(spec) << error;
  return numa::ComputePodRequests(*spec);
}

protocol::NodeCandidates Names(std::vector<std::string> names) {
  return {std::move(names), {}};
}

class DeciderTest : public ::testing::Test {
 protected:
  std::shared_ptr<NodeView> view = std::make_shared<NodeView>();
  kube::FakeApiClient api;
  DecisionOptions options;
  DecisionContext context;
};

TEST(NrtNodeModelTest, ReconstructsMachineAndReservations) {
  auto nrt = kube::ParseNodeResourceTopology(MakeNrt("n1", "single-numa-node"));
  std::string error;
  auto model = BuildNodeModel(nrt, &error);
  ASSERT_TRUE(model) << error;
  EXPECT_TRUE(model->agent_mode);
  EXPECT_EQ(model->machine.numa_nodes.size(), 2u);
  EXPECT_EQ(model->machine.cpus.size(), 16u);
  EXPECT_EQ(model->config.reserved_system_cpus, "0");
  EXPECT_EQ(model->machine.distance(0, 1), 20);
  ASSERT_TRUE(CreateAdmitter(*model, &error)) << error;
}

TEST(NrtNodeModelTest, AgentModeIsPinningModeAgent) {
  std::string error;
  kube::Json nrt = MakeNrt("n1", "single-numa-node", 2, 8, /*agent_mode=*/false);
  auto model = BuildNodeModel(kube::ParseNodeResourceTopology(nrt), &error);
  ASSERT_TRUE(model) << error;
  EXPECT_FALSE(model->agent_mode);
  EXPECT_FALSE(model->numalign_published);
  // Other numalign.io attributes (the controller's, a heartbeat) do not make an agent NRT.
  testing::SetAttribute(nrt, "numalign.io/heartbeat", "2026-11-22T10:00:00Z");
  model = BuildNodeModel(kube::ParseNodeResourceTopology(nrt), &error);
  EXPECT_FALSE(model->agent_mode);
  EXPECT_FALSE(model->numalign_published);
  testing::SetAttribute(nrt, "numalign.io/pinningMode", "kubelet");
  model = BuildNodeModel(kube::ParseNodeResourceTopology(nrt), &error);
  EXPECT_FALSE(model->agent_mode);
  EXPECT_TRUE(model->numalign_published);
  testing::SetAttribute(nrt, "numalign.io/pinningMode", "agent");
  model = BuildNodeModel(kube::ParseNodeResourceTopology(nrt), &error);
  EXPECT_TRUE(model->agent_mode);
  EXPECT_TRUE(model->numalign_published);
}

TEST(NrtNodeModelTest, StaleMarkMakesTheNodeStale) {
  NodeView view;
  kube::Json nrt = MakeNrt("n1", "single-numa-node");
  testing::SetAttribute(nrt, "numalign.io/stale", "true");
  testing::SetAttribute(nrt, "numalign.io/stale-reason", "no heartbeat");
  view.UpsertNrt(nrt);
  auto state = view.Get("n1");
  ASSERT_TRUE(state);
  EXPECT_FALSE(state->admitter);
  EXPECT_TRUE(state->stale);
  EXPECT_NE(state->unmanaged_reason.find("stale"), std::string::npos);
  EXPECT_NE(state->unmanaged_reason.find("no heartbeat"), std::string::npos);
  // Only "true" marks: the controller clears by removing the attribute, "false" is not a mark.
  testing::SetAttribute(nrt, "numalign.io/stale", "false");
  view.UpsertNrt(nrt);
  EXPECT_FALSE(view.Get("n1")->stale);
  EXPECT_TRUE(view.Get("n1")->admitter);
}

TEST_F(DeciderTest, StaleNodesRejectNumaPodsWhateverUnmanagedNodesSays) {
  kube::Json marked = MakeNrt("attr", "single-numa-node");
  testing::SetAttribute(marked, "numalign.io/stale", "true");
  view->UpsertNrt(marked);
  kube::Json annotated = MakeNrt("anno", "single-numa-node");
  annotated["metadata"]["annotations"] = {{"numalign.io/stale", "true"},
                                          {"numalign.io/stale-reason", "agent silent"}};
  view->UpsertNrt(annotated);
  view->UpsertNrt(MakeNrt("fresh", "single-numa-node"));
  for (auto unmanaged : {UnmanagedNodes::kPass, UnmanagedNodes::kReject}) {
    options.unmanaged_nodes = unmanaged;
    NumaDecider decider(view, api, options);
    FilterVerdict v =
        decider.Filter(MakePod("p", "2", "1Gi"), Names({"attr", "anno", "fresh"}), context);
    EXPECT_EQ(v.feasible, std::vector<std::string>{"fresh"});
    ASSERT_EQ(v.failed_and_unresolvable.count("attr"), 1u);
    ASSERT_EQ(v.failed_and_unresolvable.count("anno"), 1u);
    EXPECT_NE(v.failed_and_unresolvable.at("anno").find("agent silent"), std::string::npos);
    // Pods that need no alignment are not affected by the mark.
    kube::Json burstable = MakePod("b", "2", "1Gi", /*guaranteed=*/false);
    EXPECT_EQ(decider.Filter(burstable, Names({"attr", "anno"}), context).feasible.size(), 2u);
  }
  // The agent's next apply drops the mark: the node is managed again.
  view->UpsertNrt(MakeNrt("attr", "single-numa-node"));
  EXPECT_EQ(NumaDecider(view, api, options)
                .Filter(MakePod("p", "2", "1Gi"), Names({"attr"}), context)
                .feasible.size(),
            1u);
}

TEST_F(DeciderTest, FilterEqualsNodeAdmitterAndUsesKubeletWords) {
  view->UpsertNrt(MakeNrt("n1", "single-numa-node"));
  NumaDecider decider(view, api, options);
  for (std::string cpu : {"2", "7", "8", "9"}) {
    kube::Json pod = MakePod("p" + cpu, cpu, "1Gi");
    numa::NodeAdmitter scratch = *view->Get("n1")->admitter;
    numa::AdmitResult direct = scratch.Admit(Requests(pod));
    FilterVerdict v = decider.Filter(pod, Names({"n1"}), context);
    EXPECT_EQ(v.feasible.size() == 1, direct.admit) << cpu;
    if (!direct.admit) {
      EXPECT_EQ(v.failed.at("n1"),
                "TopologyAffinityError: Resources cannot be allocated with Topology locality");
    }
  }
}

TEST_F(DeciderTest, UnmanagedNodesPassOrReject) {
  kube::Json pod = MakePod("p", "2", "1Gi");
  EXPECT_EQ(NumaDecider(view, api, options).Filter(pod, Names({"bare"}), context).feasible,
            std::vector<std::string>{"bare"});
  options.unmanaged_nodes = UnmanagedNodes::kReject;
  FilterVerdict v = NumaDecider(view, api, options).Filter(pod, Names({"bare"}), context);
  EXPECT_TRUE(v.feasible.empty());
  EXPECT_EQ(v.failed_and_unresolvable.count("bare"), 1u);
}

TEST_F(DeciderTest, NonGuaranteedPodsPassEveryNode) {
  view->UpsertNrt(MakeNrt("n1", "single-numa-node"));
  options.unmanaged_nodes = UnmanagedNodes::kReject;
  NumaDecider decider(view, api, options);
  kube::Json pod = MakePod("burst", "64", "1Gi", /*guaranteed=*/false);
  EXPECT_EQ(decider.Filter(pod, Names({"n1", "bare"}), context).feasible.size(), 2u);
}

TEST_F(DeciderTest, StricterPodPolicyHonouredOnAgentNodesOnly) {
  view->UpsertNrt(MakeNrt("agent", "best-effort", 2, 8, /*agent_mode=*/true));
  view->UpsertNrt(MakeNrt("foreign", "best-effort", 2, 8, /*agent_mode=*/false));
  NumaDecider decider(view, api, options);
  kube::Json pod = MakePod("wide", "10", "1Gi");  // needs both NUMA nodes' CPUs
  EXPECT_EQ(decider.Filter(pod, Names({"agent", "foreign"}), context).feasible.size(), 2u);
  pod["metadata"]["annotations"] = {{"numalign.io/topology-policy", "single-numa-node"}};
  FilterVerdict v = decider.Filter(pod, Names({"agent", "foreign"}), context);
  EXPECT_EQ(v.feasible, std::vector<std::string>{"foreign"});
  EXPECT_EQ(v.failed.count("agent"), 1u);
  EXPECT_TRUE(
      IsStricter(numa::TopologyPolicyName::kRestricted, numa::TopologyPolicyName::kBestEffort));
  EXPECT_FALSE(IsStricter(numa::TopologyPolicyName::kNone, numa::TopologyPolicyName::kNone));
  // numalign-agent in kubelet mode: the kubelet pins with the node's own policy only.
  kube::Json kubelet_mode = MakeNrt("kubelet-mode", "best-effort", 2, 8, /*agent_mode=*/true);
  testing::SetAttribute(kubelet_mode, "numalign.io/pinningMode", "kubelet");
  view->UpsertNrt(kubelet_mode);
  EXPECT_EQ(decider.Filter(pod, Names({"kubelet-mode"}), context).feasible.size(), 1u);
  pod["metadata"]["annotations"] = {{"numalign.io/topology-policy", "bogus"}};
  EXPECT_FALSE(decider.Filter(pod, Names({"agent"}), context).error.empty());
}

TEST(ScoreTest, ZoneScoresHandComputed) {
  std::map<std::string, std::int64_t> w{{"cpu", 1}, {"memory", 3}};
  std::map<std::string, double> req{{"cpu", 2}, {"memory", 4}};
  std::map<std::string, double> avail{{"cpu", 8}, {"memory", 8}};
  // most: cpu 25, memory 50 -> (25 + 150) / 4
  EXPECT_DOUBLE_EQ(ZoneScore(ScoringStrategy::kMostAllocated, req, avail, w), 43.75);
  // least: cpu 75, memory 50 -> (75 + 150) / 4
  EXPECT_DOUBLE_EQ(ZoneScore(ScoringStrategy::kLeastAllocated, req, avail, w), 56.25);
  // balanced: f = 0.25, 0.5; mean .375; variance .015625
  EXPECT_DOUBLE_EQ(ZoneScore(ScoringStrategy::kBalanced, req, avail, w), 98.4375);
  avail["memory"] = 2;  // does not fit
  EXPECT_DOUBLE_EQ(ZoneScore(ScoringStrategy::kBalanced, req, avail, w), 0);
  EXPECT_EQ(ToExtenderScore(93.75), 9);
  EXPECT_EQ(ToExtenderScore(250), 10);
}

TEST_F(DeciderTest, LeastNumaNodesPrefersOneNumaNode) {
  view->UpsertNrt(MakeNrt("n1", "best-effort"));
  NumaDecider decider(view, api, options);
  // unit = 100/8 = 12.5: one NUMA node -> 100 - 12.5 + 6.25 = 93.75 -> 9;
  // two -> 100 - 25 + 6.25 = 81.25 -> 8.
  auto narrow = decider.Prioritize(MakePod("a", "4", "1Gi"), Names({"n1"}), context);
  auto wide = decider.Prioritize(MakePod("b", "10", "1Gi"), Names({"n1"}), context);
  ASSERT_EQ(narrow.scores.size(), 1u);
  EXPECT_EQ(narrow.scores[0].score, 9);
  EXPECT_EQ(wide.scores[0].score, 8);
}

TEST_F(DeciderTest, AllocationStrategiesRankNodes) {
  view->UpsertNrt(MakeNrt("n1", "single-numa-node"));
  view->UpsertNrt(MakeNrt("busy", "single-numa-node"));
  kube::Json filler = MakePod("filler", "6", "6Gi");
  filler["spec"]["nodeName"] = "busy";
  view->UpsertPod(filler);
  kube::Json pod = MakePod("p", "2", "1Gi");
  options.scoring_strategy = ScoringStrategy::kMostAllocated;
  auto most = NumaDecider(view, api, options).Prioritize(pod, Names({"n1", "busy"}), context);
  options.scoring_strategy = ScoringStrategy::kLeastAllocated;
  auto least = NumaDecider(view, api, options).Prioritize(pod, Names({"n1", "busy"}), context);
  options.scoring_strategy = ScoringStrategy::kBalanced;
  auto balanced = NumaDecider(view, api, options).Prioritize(pod, Names({"n1", "busy"}), context);
  // The busy node's fullest zone fitting the pod: 1 free CPU on node-0 is too few (7-6=1 < 2),
  // so node-1 (8 CPUs, 8Gi): most = (25 + 12.5)/2 = 18.75 -> 2; on n1 the worst zone is
  // node-0 (7 CPUs, 7Gi): most = (200/7 + 100/7)/2 = 21.4 -> 2; least = 78.6 -> 8.
  EXPECT_EQ(most.scores[0].score, 2);
  EXPECT_EQ(least.scores[0].score, 8);
  ASSERT_EQ(balanced.scores.size(), 2u);
  EXPECT_GE(balanced.scores[0].score, 9);
}

TEST_F(DeciderTest, BindWritesDecisionIsIdempotentAndVisibleToFilter) {
  view->UpsertNrt(MakeNrt("n1", "single-numa-node"));
  kube::Json pod = MakePod("p", "7", "1Gi");
  pod["metadata"].erase("uid");
  kube::Json created = api.Create(kube::resources::Pods(), "default", pod);
  std::string uid = kube::UidOf(created);
  NumaDecider decider(view, api, options);
  protocol::BindingArgs args{"p", "default", uid, "n1"};
  ASSERT_EQ(decider.Bind(args, context), "");
  kube::Json bound = api.Get(kube::resources::Pods(), "default", "p");
  EXPECT_EQ(kube::PodView(bound).NodeName(), "n1");
  auto annotation = kube::AnnotationOf(bound, std::string(numa::kAllocationAnnotation));
  ASSERT_TRUE(annotation);
  std::string error;
  auto decision = numa::ParseAllocationDecision(*annotation, &error);
  ASSERT_TRUE(decision) << error;
  EXPECT_EQ(decision->pod_uid, uid);
  ASSERT_EQ(decision->containers.size(), 1u);
  EXPECT_EQ(decision->containers[0].exclusive_cpus, 7);
  EXPECT_EQ(decision->containers[0].AllNumaNodes().size(), 1u);
  // The decision is in the view at once: a second 7-CPU pod only fits the other NUMA node, a
  // third nowhere.
  EXPECT_EQ(view->Get("n1")->pod_uids.count(uid), 1u);
  EXPECT_EQ(decider.Filter(MakePod("q", "8", "1Gi"), Names({"n1"}), context).feasible.size(), 1u);
  // Retry: same answer, nothing re-decided.
  EXPECT_EQ(decider.Bind(args, context), "");
  EXPECT_EQ(*kube::AnnotationOf(api.Get(kube::resources::Pods(), "default", "p"),
                                std::string(numa::kAllocationAnnotation)),
            *annotation);
  EXPECT_NE(decider.Bind({"p", "default", uid, "other"}, context), "");
}

// Forwards to a FakeApiClient but refuses every pods/binding.
class FailingBindingApi final : public kube::ApiClient {
 public:
  kube::FakeApiClient inner;
  kube::Json Get(const kube::ResourceDescriptor& r, std::string_view ns, std::string_view name,
                 std::string_view sub) override {
    return inner.Get(r, ns, name, sub);
  }
  kube::Json List(const kube::ResourceDescriptor& r, std::string_view ns,
                  const kube::ListOptions& o) override {
    return inner.List(r, ns, o);
  }
  std::unique_ptr<kube::WatchStream> Watch(const kube::ResourceDescriptor& r, std::string_view ns,
                                           const kube::WatchOptions& o) override {
    return inner.Watch(r, ns, o);
  }
  kube::Json Create(const kube::ResourceDescriptor& r, std::string_view ns, const kube::Json& obj,
                    const kube::WriteOptions& o) override {
    return inner.Create(r, ns, obj, o);
  }
  kube::Json CreateSubresource(const kube::ResourceDescriptor&, std::string_view, std::string_view,
                               std::string_view, const kube::Json&,
                               const kube::WriteOptions&) override {
    throw std::runtime_error("injected binding failure");
  }
  kube::Json Update(const kube::ResourceDescriptor& r, std::string_view ns, const kube::Json& obj,
                    const kube::WriteOptions& o, std::string_view sub) override {
    return inner.Update(r, ns, obj, o, sub);
  }
  kube::Json Patch(const kube::ResourceDescriptor& r, std::string_view ns, std::string_view name,
                   kube::PatchType t, const kube::Json& p, const kube::WriteOptions& o,
                   std::string_view sub) override {
    return inner.Patch(r, ns, name, t, p, o, sub);
  }
  kube::Json Apply(const kube::ResourceDescriptor& r, std::string_view ns, std::string_view name,
                   const kube::Json& obj, const kube::ApplyOptions& o,
                   std::string_view sub) override {
    return inner.Apply(r, ns, name, obj, o, sub);
  }
  kube::Json Delete(const kube::ResourceDescriptor& r, std::string_view ns, std::string_view name,
                    const kube::DeleteOptions& o) override {
    return inner.Delete(r, ns, name, o);
  }
};

TEST(BindRollbackTest, FailedBindingLeavesNoReservation) {
  auto view = std::make_shared<NodeView>();
  view->UpsertNrt(MakeNrt("n1", "single-numa-node"));
  FailingBindingApi api;
  kube::Json pod = MakePod("p", "7", "1Gi");
  pod["metadata"].erase("uid");
  std::string uid = kube::UidOf(api.inner.Create(kube::resources::Pods(), "default", pod));
  NumaDecider decider(view, api, DecisionOptions{});
  EXPECT_NE(decider.Bind({"p", "default", uid, "n1"}, DecisionContext{}), "");
  EXPECT_TRUE(view->Get("n1")->pod_uids.empty());
  kube::Json after = api.inner.Get(kube::resources::Pods(), "default", "p");
  EXPECT_FALSE(kube::AnnotationOf(after, std::string(numa::kAllocationAnnotation)));
}

TEST(NodeViewTest, RebuiltFromAnnotationsEqualsIncremental) {
  kube::Json a = MakePod("a", "4", "2Gi", true, "2026-11-22T10:00:01Z");
  a["spec"]["nodeName"] = "n1";
  a["status"] = {{"phase", "Running"}};
  kube::Json b = MakePod("b", "3", "1Gi", true, "2026-11-22T10:00:02Z");
  numa::AllocationDecision decision{"v1", "n1", "uid-b", {}};
  b["metadata"]["annotations"] = {
      {std::string(numa::kAllocationAnnotation), numa::SerializeAllocationDecision(decision)}};
  kube::Json c = MakePod("c", "2", "1Gi", true, "2026-11-22T10:00:03Z");
  c["spec"]["nodeName"] = "n1";

  NodeView incremental;  // NRT first, then pods as they come, with a deletion in between
  incremental.UpsertNrt(MakeNrt("n1", "single-numa-node"));
  incremental.UpsertPod(c);
  incremental.UpsertPod(a);
  kube::Json gone = MakePod("gone", "2", "1Gi");
  gone["spec"]["nodeName"] = "n1";
  incremental.UpsertPod(gone);
  incremental.DeletePod(gone);
  incremental.UpsertPod(b);

  NodeView rebuilt;  // a restarted replica: pods listed first, NRT last
  for (const auto& p : {a, b, c}) rebuilt.UpsertPod(p);
  rebuilt.UpsertNrt(MakeNrt("n1", "single-numa-node"));

  auto x = incremental.Get("n1");
  auto y = rebuilt.Get("n1");
  EXPECT_EQ(x->pod_uids, (std::set<std::string>{"uid-a", "uid-b", "uid-c"}));
  EXPECT_EQ(x->pod_uids, y->pod_uids);
  EXPECT_EQ(x->admitter->Checkpoint(), y->admitter->Checkpoint());
}

// Pods created in the same second replay in uid order, which need not be the order they were
// bound in. On an agent-mode node the agent committed each pod's decision as it stands, so the
// view must replay the decisions, not re-decide: re-deciding here would put amy on NUMA node 0
// and zed on node 1, leaving no node with 3 free CPUs where the agent has one.
TEST(NodeViewTest, ReplaysTheAgentsDecisionsWhateverTheReplayOrder) {
  auto decided = [](const std::string& name, const std::string& cpus, int numa_node) {
    kube::Json pod = MakePod(name, cpus, "1Gi", true, "2026-11-22T10:00:00Z");
    pod["spec"]["nodeName"] = "n1";
    pod["status"] = {{"phase", "Running"}};
    numa::ContainerNumaDecision c{
        "c", std::stoll(cpus), {{"cpu", {numa_node}}, {"memory", {numa_node}}}};
    numa::AllocationDecision decision{"v1", "n1", "uid-" + name, {c}};
    pod["metadata"]["annotations"] = {
        {std::string(numa::kAllocationAnnotation), numa::SerializeAllocationDecision(decision)}};
    return pod;
  };
  // Bound first: zed (6 CPUs) on node 0 (7 allocatable CPUs); then amy (5 CPUs) on node 1 (8).
  // "uid-amy" sorts before "uid-zed", so the replay meets amy first.
  kube::Json zed = decided("zed", "6", 0);
  kube::Json amy = decided("amy", "5", 1);
  NodeView view;
  view.UpsertNrt(MakeNrt("n1", "single-numa-node"));
  view.UpsertPod(zed);
  view.UpsertPod(amy);
  auto state = view.Get("n1");
  ASSERT_TRUE(state && state->admitter);
  EXPECT_EQ(state->pod_uids, (std::set<std::string>{"uid-amy", "uid-zed"}));
  std::string error;
  const auto three =
      numa::ComputePodRequests(*numa::ParsePodJson(MakePod("three", "3", "1Gi"), &error));
  EXPECT_TRUE(state->admitter->Evaluate(three).admit)
      << "node 1 has 3 CPUs left after the decisions";
}

TEST_F(DeciderTest, VerdictsAreMemoizedPerNodeStateAndShape) {
  view->UpsertNrt(MakeNrt("n1", "single-numa-node"));
  NumaDecider decider(view, api, options);
  auto first = view->Get("n1");
  EXPECT_EQ(decider.Filter(MakePod("a", "6", "1Gi"), Names({"n1"}), context).feasible.size(), 1u);
  EXPECT_EQ(first->verdicts->size(), 1u);
  // Another replica of the same shape reuses the verdict; another shape gets its own.
  EXPECT_EQ(decider.Filter(MakePod("b", "6", "1Gi"), Names({"n1"}), context).feasible.size(), 1u);
  EXPECT_EQ(first->verdicts->size(), 1u);
  kube::Json renamed = MakePod("c", "6", "1Gi");
  renamed["spec"]["containers"][0]["name"] = "other";
  decider.Prioritize(renamed, Names({"n1"}), context);
  EXPECT_EQ(first->verdicts->size(), 2u);
  // Two 6-CPU pods fill both NUMA nodes (7 and 8 CPUs): the node changes, the memo goes with
  // the old state and the next verdict is computed afresh.
  view->RecordDecision("n1", MakePod("x", "6", "1Gi"));
  view->RecordDecision("n1", MakePod("y", "6", "1Gi"));
  EXPECT_NE(view->Get("n1"), first);
  FilterVerdict full = decider.Filter(MakePod("d", "6", "1Gi"), Names({"n1"}), context);
  EXPECT_TRUE(full.feasible.empty());
  EXPECT_EQ(full.failed.count("n1"), 1u);
  // Scores from the memo equal scores computed without it.
  view->ForgetPod("uid-y");
  auto state = view->Get("n1");
  kube::Json pod = MakePod("e", "2", "1Gi");
  NodeEvaluation direct = EvaluateNode(state.get(), Requests(pod), std::nullopt, FilterOptions{});
  ASSERT_EQ(direct.fit, NodeFit::kFits);
  std::int64_t expected = ToExtenderScore(
      NodeScore100(ScoringOptions{}, *state->admitter, Requests(pod), direct.result));
  for (int i = 0; i < 2; ++i) {  // computed, then from the memo
    auto scored = decider.Prioritize(pod, Names({"n1"}), context);
    ASSERT_EQ(scored.scores.size(), 1u);
    EXPECT_EQ(scored.scores[0].score, expected);
  }
  EXPECT_EQ(state->verdicts->size(), 1u);
}

TEST(NodeViewTest, RecordedDecisionSurvivesOlderInformerEvents) {
  NodeView view;
  view.UpsertNrt(MakeNrt("n1", "single-numa-node"));
  kube::Json pod = MakePod("p", "4", "1Gi");
  view.RecordDecision("n1", pod);
  EXPECT_EQ(view.Get("n1")->pod_uids.count("uid-p"), 1u);
  EXPECT_EQ(view.Sizes().assumed, 1u);
  // The informer delivers the pod's creation after bind recorded the decision.
  view.UpsertPod(pod);
  EXPECT_EQ(view.Get("n1")->pod_uids.count("uid-p"), 1u);
  // The binding shows up: the API now carries the placement, the assumption ends.
  kube::Json bound = pod;
  bound["spec"]["nodeName"] = "n1";
  view.UpsertPod(bound);
  EXPECT_EQ(view.Sizes().assumed, 0u);
  EXPECT_EQ(view.Get("n1")->pod_uids.count("uid-p"), 1u);
  // A forgotten decision (failed bind) stops counting even with late events in flight.
  kube::Json other = MakePod("q", "2", "1Gi");
  view.RecordDecision("n1", other);
  EXPECT_TRUE(view.ForgetPod("uid-q"));
  view.UpsertPod(other);
  EXPECT_EQ(view.Get("n1")->pod_uids.count("uid-q"), 0u);
  EXPECT_EQ(view.Sizes().assumed, 0u);
}

TEST(NodeViewTest, ForeignProducerIsAccountedPessimistically) {
  NodeView view;
  // Another producer reports node-1 with only 4 CPUs still available.
  kube::Json nrt = MakeNrt("n1", "single-numa-node", 2, 8, /*agent_mode=*/false);
  nrt["zones"][1]["resources"][0]["available"] = "4";
  view.UpsertNrt(nrt);
  numa::NodeAdmitter fresh = *view.Get("n1")->admitter;
  EXPECT_TRUE(fresh.Admit(Requests(MakePod("x", "7", "1Gi"))).admit);  // node-0 still has 7
  numa::NodeAdmitter probe = *view.Get("n1")->admitter;
  EXPECT_FALSE(probe.Admit(Requests(MakePod("big", "8", "1Gi"))).admit);  // node-1 capped at 4
  // A pod the extender placed that is not Running yet counts on top of `available`...
  kube::Json pod = MakePod("mine", "6", "1Gi");
  pod["spec"]["nodeName"] = "n1";
  view.UpsertPod(pod);
  EXPECT_EQ(view.Get("n1")->pod_uids.count("uid-mine"), 1u);
  // ...until it runs, when the producer's `available` is assumed to include it.
  pod["status"] = {{"phase", "Running"}};
  view.UpsertPod(pod);
  EXPECT_TRUE(view.Get("n1")->pod_uids.empty());
}

TEST_F(DeciderTest, PreemptDropsNodesWhereEvictionFreesNoAlignedPlace) {
  view->UpsertNrt(MakeNrt("n1", "single-numa-node"));
  view->UpsertNrt(MakeNrt("n2", "single-numa-node"));
  for (std::string node : {"n1", "n2"}) {
    for (int z = 0; z < 2; ++z) {
      kube::Json p = MakePod(node + "-" + std::to_string(z), "6", "1Gi");
      p["spec"]["nodeName"] = node;
      view->UpsertPod(p);
    }
  }
  NumaDecider decider(view, api, options);
  kube::Json pod = MakePod("p", "7", "1Gi");
  PreemptionCandidates candidates;
  candidates.by_uid["n1"].pods = {{"uid-n1-0"}};  // frees node-0: 7 CPUs
  candidates.by_uid["n2"].pods = {};              // no victim: nothing frees a place
  PreemptVerdict v = decider.Preempt(pod, candidates, context);
  EXPECT_EQ(v.node_name_to_meta_victims.count("n1"), 1u);
  EXPECT_EQ(v.node_name_to_meta_victims.count("n2"), 0u);
}

}  // namespace
}  // namespace numalign::extender
