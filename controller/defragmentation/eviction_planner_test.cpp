#include "controller/defragmentation/eviction_planner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "controller/defragmentation/cluster_snapshot.h"
#include "controller/testing/numa_scenario.h"
#include "numa/pod/pod_spec.h"

namespace numalign::controller {
namespace {

using kube::Json;
using testing::AgentNrt;
using testing::PodShape;
using testing::ScenarioPod;

// Nodes (NRTs) and pods; every node is single-numa-node with 4 allocatable CPUs per zone unless
// given otherwise. Placements are replayed in creation order, as the kubelet admitted them.
struct Scenario {
  std::vector<Json> nrts;
  std::vector<Json> pods;
  std::map<std::string, int> pdbs;  // "ns/name" -> disruptions allowed, for pods' pdbs

  ClusterSnapshot Snapshot(const std::set<std::string>& skip_pods = {}) const {
    extender::NodeView view;
    std::set<std::string> nodes;
    for (const auto& nrt : nrts) {
      view.UpsertNrt(nrt);
      nodes.insert(kube::NameOf(nrt));
    }
    std::vector<kube::ObjectPtr> objects;
    for (const auto& pod : pods) {
      if (skip_pods.contains(kube::NameOf(pod))) continue;
      view.UpsertPod(pod);
      objects.push_back(std::make_shared<const Json>(pod));
    }
    return AssembleSnapshot(view, nodes, objects, {}, "numalign-scheduler");
  }

  PlanRequest Request(const PodShape& pending, int max_evictions = 3) const {
    PlanRequest request;
    std::string error;
    auto spec = numa::ParsePodJson(ScenarioPod(pending), &error);
    EXPECT_TRUE(spec) << error;
    request.pod = numa::ComputePodRequests(*spec);
    request.priority = pending.priority;
    request.nodes = Snapshot().nodes;
    request.pdb_disruptions_allowed = pdbs;
    request.max_evictions = max_evictions;
    return request;
  }
};

std::vector<std::string> Names(const EvictionPlan& plan) {
  std::vector<std::string> out;
  for (const auto& p : plan.evictions) out.push_back(p.name);
  return out;
}

const PodShape kBig{.name = "big", .container_cpus = {4}, .priority = 10};

// Node a, 4 CPUs per zone: a1 (3 CPUs, movable) lands on zone 0, a2 (3 CPUs, pinned in place)
// on zone 1: 2 CPUs free, 1 per zone. A 4-CPU pod needs a whole zone: evict a1.
Scenario OneEviction() {
  return {{AgentNrt("a", 4)},
          {ScenarioPod({.name = "a1", .container_cpus = {3}, .node = "a", .movable = true}),
           ScenarioPod({.name = "a2", .container_cpus = {3}, .node = "a", .created_second = 1})},
          {}};
}

TEST(EvictionPlanner, FewestEvictionsIsOne) {
  auto plan = PlanEvictions(OneEviction().Request(kBig));
  ASSERT_EQ(plan.outcome, PlanOutcome::kPlanned) << ToString(plan.outcome);
  EXPECT_EQ(plan.node, "a");
  EXPECT_EQ(plan.zone, "node-0");
  EXPECT_EQ(Names(plan), std::vector<std::string>{"a1"});
}

// Node a: a1 and a2 (2 CPUs each, movable) fill zone 0, a3 (3 CPUs, pinned) sits on zone 1.
// Node b: b0 (4, pinned) fills zone 0; b1 (2, pinned) and b2 (1, movable) on zone 1: evicting
// b2 leaves 2. Fewest evictions: a1 + a2.
Scenario TwoEvictions() {
  return {{AgentNrt("a", 4), AgentNrt("b", 4)},
          {ScenarioPod({.name = "a1", .container_cpus = {2}, .node = "a", .movable = true}),
           ScenarioPod({.name = "a2",
                        .container_cpus = {2},
                        .node = "a",
                        .movable = true,
                        .created_second = 1}),
           ScenarioPod({.name = "a3", .container_cpus = {3}, .node = "a", .created_second = 2}),
           ScenarioPod({.name = "b0", .container_cpus = {4}, .node = "b"}),
           ScenarioPod({.name = "b1", .container_cpus = {2}, .node = "b", .created_second = 1}),
           ScenarioPod({.name = "b2",
                        .container_cpus = {1},
                        .node = "b",
                        .movable = true,
                        .created_second = 2})},
          {}};
}

TEST(EvictionPlanner, FewestEvictionsIsTwo) {
  auto plan = PlanEvictions(TwoEvictions().Request(kBig));
  ASSERT_EQ(plan.outcome, PlanOutcome::kPlanned) << ToString(plan.outcome);
  EXPECT_EQ(plan.node, "a");
  EXPECT_EQ(plan.zone, "node-0");
  EXPECT_EQ(Names(plan), (std::vector<std::string>{"a1", "a2"}));
}

// The plan is checked independently: the node view rebuilt from the API objects without the
// evicted pods (what the extender and the kubelet will see once they are gone) admits the pod,
// and no smaller set of the movable pods would have done it.
TEST(EvictionPlanner, APlanReallyMakesThePodAdmissibleAndIsMinimal) {
  const Scenario scenario = TwoEvictions();
  const PlanRequest request = scenario.Request(kBig);
  const auto plan = PlanEvictions(request);
  ASSERT_EQ(plan.outcome, PlanOutcome::kPlanned);
  std::set<std::string> evicted;
  for (const auto& p : plan.evictions) evicted.insert(p.name);
  auto after = scenario.Snapshot(evicted);
  const auto node = std::find_if(after.nodes.begin(), after.nodes.end(),
                                 [&](const NodeModel& n) { return n.name == plan.node; });
  ASSERT_NE(node, after.nodes.end());
  numa::NodeAdmitter fresh = *node->admitter;
  EXPECT_TRUE(fresh.Admit(request.pod).admit) << "the kubelet admits it after the plan";
  for (const auto* movable : {"a1", "a2", "b2"}) {
    auto one_gone = scenario.Snapshot({movable});
    for (const auto& n : one_gone.nodes) {
      numa::NodeAdmitter trial = *n.admitter;
      EXPECT_FALSE(trial.Admit(request.pod).admit) << "evicting only " << movable << " fits";
    }
  }
}

// What NRT arithmetic cannot see: a1 and a2 (3 CPUs each) leave one free CPU per zone. A pod
// of two 1-CPU containers fits as it is in container scope (each container aligned on its own
// zone); in pod scope the whole pod needs one zone, and that takes an eviction.
TEST(EvictionPlanner, TheTopologyManagerScopeDecidesWhetherAPodAlreadyFits) {
  auto node = [](const std::string& scope) {
    return Scenario{
        {AgentNrt("a", 4, 2, scope)},
        {ScenarioPod({.name = "a1", .container_cpus = {3}, .node = "a", .movable = true}),
         ScenarioPod({.name = "a2", .container_cpus = {3}, .node = "a", .created_second = 1})},
        {}};
  };
  const PodShape pair{.name = "pair", .container_cpus = {1, 1}, .priority = 10};
  const auto container_scope = PlanEvictions(node("container").Request(pair));
  EXPECT_EQ(container_scope.outcome, PlanOutcome::kAlreadyFits);
  EXPECT_EQ(container_scope.zone, "node-0,node-1");
  const auto pod_scope = PlanEvictions(node("pod").Request(pair));
  ASSERT_EQ(pod_scope.outcome, PlanOutcome::kPlanned) << ToString(pod_scope.outcome);
  EXPECT_EQ(Names(pod_scope), std::vector<std::string>{"a1"});
  EXPECT_EQ(pod_scope.zone, "node-0");
}

TEST(EvictionPlanner, PrefersLowerPriorityAmongEquallySmallPlans) {
  auto scenario = OneEviction();
  scenario.nrts.push_back(AgentNrt("b", 4));
  scenario.pods.push_back(ScenarioPod(
      {.name = "b1", .container_cpus = {3}, .node = "b", .movable = true, .priority = -5}));
  scenario.pods.push_back(
      ScenarioPod({.name = "b2", .container_cpus = {3}, .node = "b", .created_second = 1}));
  EXPECT_EQ(Names(PlanEvictions(scenario.Request(kBig))), std::vector<std::string>{"b1"});
}

TEST(EvictionPlanner, PdbWithNoDisruptionsAllowedBlocks) {
  auto scenario = OneEviction();
  auto request = scenario.Request(kBig);
  for (auto& p : request.nodes[0].pods) p.pdbs = {"ns/web"};
  request.pdb_disruptions_allowed = {{"ns/web", 0}};
  EXPECT_EQ(PlanEvictions(request).outcome, PlanOutcome::kBlockedByPdb);
  request.pdb_disruptions_allowed["ns/web"] = 1;
  EXPECT_EQ(PlanEvictions(request).outcome, PlanOutcome::kPlanned);
}

TEST(EvictionPlanner, PdbCountsEveryEvictionOfThePlan) {
  auto request = TwoEvictions().Request(kBig);
  for (auto& node : request.nodes) {
    for (auto& p : node.pods) p.pdbs = {"ns/web"};
  }
  request.pdb_disruptions_allowed = {{"ns/web", 1}};
  EXPECT_EQ(PlanEvictions(request).outcome, PlanOutcome::kBlockedByPdb);
}

TEST(EvictionPlanner, EqualOrHigherPriorityIsNeverEvicted) {
  auto scenario = OneEviction();
  scenario.pods[0]["spec"]["priority"] = 10;  // a1: equal to the pending pod
  EXPECT_EQ(PlanEvictions(scenario.Request(kBig)).outcome, PlanOutcome::kBlockedByPriority);
  scenario.pods[0]["spec"]["priority"] = 9;
  EXPECT_EQ(PlanEvictions(scenario.Request(kBig)).outcome, PlanOutcome::kPlanned);
}

TEST(EvictionPlanner, NothingMovable) {
  auto scenario = OneEviction();
  scenario.pods[0]["metadata"]["labels"].erase("numalign.io/movable");
  EXPECT_EQ(PlanEvictions(scenario.Request(kBig)).outcome, PlanOutcome::kNothingMovable);
  scenario.pods[0]["metadata"]["annotations"]["numalign.io/movable"] = "true";
  EXPECT_EQ(PlanEvictions(scenario.Request(kBig)).outcome, PlanOutcome::kPlanned)
      << "the annotation opts in too";
}

TEST(EvictionPlanner, AlreadyFitsAndInsufficientTotal) {
  const auto scenario = OneEviction();
  const auto fits = PlanEvictions(scenario.Request({.name = "p", .container_cpus = {1}}));
  EXPECT_EQ(fits.outcome, PlanOutcome::kAlreadyFits);
  EXPECT_EQ(fits.zone, "node-0");
  // 5 CPUs never fit one 4-CPU zone under single-numa-node, whatever is evicted.
  EXPECT_EQ(PlanEvictions(scenario.Request({.name = "p", .container_cpus = {5}})).outcome,
            PlanOutcome::kInsufficientTotal);
}

TEST(EvictionPlanner, BeyondMaxEvictionsThereIsNoPlan) {
  auto scenario = TwoEvictions();
  EXPECT_EQ(PlanEvictions(scenario.Request(kBig, 1)).outcome, PlanOutcome::kNoPlan);
}

TEST(EvictionPlanner, NodesWithoutUsableNumaDataAreLeftOut) {
  auto scenario = OneEviction();
  scenario.nrts[0]["attributes"].push_back({{"name", "numalign.io/stale"}, {"value", "true"}});
  EXPECT_TRUE(scenario.Snapshot().nodes.empty());
  EXPECT_EQ(PlanEvictions(scenario.Request(kBig)).outcome, PlanOutcome::kNoPlan);
}

}  // namespace
}  // namespace numalign::controller
