#include "controller/defragmentation/eviction_planner.h"

#include <gtest/gtest.h>

namespace numalign::controller {
namespace {

PodFootprint Pod(const std::string& name, const std::string& zone, std::int64_t cpu_milli,
                 bool movable = true, std::int32_t priority = 0) {
  PodFootprint p;
  p.ns = "ns";
  p.name = name;
  p.movable = movable;
  p.priority = priority;
  p.requests = {{"cpu", cpu_milli}};
  p.per_zone[zone] = {{"cpu", cpu_milli}};
  return p;
}

NodeModel Node(const std::string& name, std::int64_t free0, std::int64_t free1,
               std::vector<PodFootprint> pods) {
  NodeModel n{name, {{"node-0", {{"cpu", free0}}}, {"node-1", {{"cpu", free1}}}}, std::move(pods)};
  for (auto& p : n.pods) p.node = name;
  return n;
}

std::vector<std::string> Names(const EvictionPlan& plan) {
  std::vector<std::string> out;
  for (const auto& p : plan.evictions) out.push_back(p.name);
  return out;
}

// Node a: 2 CPUs free on each zone (4 in total, 2 at most in one place); the pending pod needs 4.
// Evicting a1 (2 CPUs on node-0) leaves node-0 with 4: one eviction. a2 is on node-1 with 1 CPU
// and evicting it would give node-1 only 3.
PlanRequest OneEvictionScenario() {
  return {.requests = {{"cpu", 4000}, {"ephemeral-storage", 10}},
          .priority = 10,
          .nodes = {Node("a", 2000, 2000, {Pod("a1", "node-0", 2000), Pod("a2", "node-1", 1000)})}};
}

TEST(EvictionPlanner, FewestEvictionsIsOne) {
  auto plan = PlanEvictions(OneEvictionScenario());
  ASSERT_EQ(plan.outcome, PlanOutcome::kPlanned) << ToString(plan.outcome);
  EXPECT_EQ(plan.node, "a");
  EXPECT_EQ(plan.zone, "node-0");
  EXPECT_EQ(Names(plan), std::vector<std::string>{"a1"});
}

// Nodes a and b have 1 CPU free per zone (4 in total); the pod needs 3. On a, node-0 holds two
// movable 1-CPU pods: evicting both gives 3. On b, one pinned (not movable) 2-CPU pod would do
// it alone, and one movable 0.5-CPU pod is too small. Fewest allowed evictions: a1 + a2.
TEST(EvictionPlanner, FewestEvictionsIsTwo) {
  PlanRequest request{
      .requests = {{"cpu", 3000}},
      .priority = 10,
      .nodes = {
          Node("a", 1000, 1000,
               {Pod("a1", "node-0", 1000), Pod("a2", "node-0", 1000), Pod("a3", "node-1", 1000)}),
          Node("b", 1000, 1000,
               {Pod("b-pinned", "node-0", 2000, false), Pod("b1", "node-1", 500)})}};
  auto plan = PlanEvictions(request);
  ASSERT_EQ(plan.outcome, PlanOutcome::kPlanned) << ToString(plan.outcome);
  EXPECT_EQ(plan.node, "a");
  EXPECT_EQ(plan.zone, "node-0");
  EXPECT_EQ(Names(plan), (std::vector<std::string>{"a1", "a2"}));
}

TEST(EvictionPlanner, PrefersLowerPriorityAmongEquallySmallPlans) {
  auto request = OneEvictionScenario();
  request.nodes.push_back(Node("b", 2000, 2000, {Pod("b1", "node-1", 2000, true, -5)}));
  auto plan = PlanEvictions(request);
  EXPECT_EQ(Names(plan), std::vector<std::string>{"b1"});
}

TEST(EvictionPlanner, PdbWithNoDisruptionsAllowedBlocks) {
  auto request = OneEvictionScenario();
  request.nodes[0].pods[0].pdbs = {"ns/web"};
  request.pdb_disruptions_allowed = {{"ns/web", 0}};
  EXPECT_EQ(PlanEvictions(request).outcome, PlanOutcome::kBlockedByPdb);
  request.pdb_disruptions_allowed["ns/web"] = 1;
  EXPECT_EQ(PlanEvictions(request).outcome, PlanOutcome::kPlanned);
}

TEST(EvictionPlanner, PdbCountsEveryEvictionOfThePlan) {
  PlanRequest request{
      .requests = {{"cpu", 3000}},
      .priority = 10,
      .nodes = {Node("a", 1000, 2000, {Pod("a1", "node-0", 1000), Pod("a2", "node-0", 1000)})},
      .pdb_disruptions_allowed = {{"ns/web", 1}}};
  for (auto& p : request.nodes[0].pods) p.pdbs = {"ns/web"};
  EXPECT_EQ(PlanEvictions(request).outcome, PlanOutcome::kBlockedByPdb);
}

TEST(EvictionPlanner, EqualOrHigherPriorityIsNeverEvicted) {
  auto request = OneEvictionScenario();
  request.nodes[0].pods[0].priority = 10;  // equal to the pending pod
  EXPECT_EQ(PlanEvictions(request).outcome, PlanOutcome::kBlockedByPriority);
  request.nodes[0].pods[0].priority = 9;
  EXPECT_EQ(PlanEvictions(request).outcome, PlanOutcome::kPlanned);
}

TEST(EvictionPlanner, NothingMovable) {
  auto request = OneEvictionScenario();
  for (auto& p : request.nodes[0].pods) p.movable = false;
  EXPECT_EQ(PlanEvictions(request).outcome, PlanOutcome::kNothingMovable);
}

TEST(EvictionPlanner, AlreadyFitsAndInsufficientTotal) {
  auto request = OneEvictionScenario();
  request.requests["cpu"] = 2000;
  EXPECT_EQ(PlanEvictions(request).outcome, PlanOutcome::kAlreadyFits);
  request.requests["cpu"] = 5000;
  EXPECT_EQ(PlanEvictions(request).outcome, PlanOutcome::kInsufficientTotal);
}

TEST(EvictionPlanner, BeyondMaxEvictionsThereIsNoPlan) {
  PlanRequest request{
      .requests = {{"cpu", 3000}},
      .priority = 10,
      .nodes = {Node("a", 1000, 2000, {Pod("a1", "node-0", 1000), Pod("a2", "node-0", 1000)})},
      .max_evictions = 1};
  EXPECT_EQ(PlanEvictions(request).outcome, PlanOutcome::kNoPlan);
}

}  // namespace
}  // namespace numalign::controller
