// The event driver's bookkeeping with a scripted backend: recreations, the attempt bound, bare
// pods, pending retries, deletions, counters and series.
#include "sim/placement/event_driver.h"

#include <gtest/gtest.h>

#include <deque>

#include "sim/model/limits.h"
#include "sim/testing/sim_test_support.h"

namespace numalign::sim {
namespace {

using testing::Create;
using testing::Delete;
using testing::Pod;

// Two NUMA nodes with two CPUs each (cpus 0,1 on NUMA 0; 2,3 on NUMA 1), 8 GiB each.
numa::Machine TwoByTwo() {
  numa::Machine m;
  for (int n = 0; n < 2; ++n) {
    numa::NumaNodeInfo node;
    node.id = n;
    node.cpus = {2 * n, 2 * n + 1};
    node.memory = 8ull << 30;
    m.numa_nodes.push_back(node);
    for (int c : node.cpus) m.cpus.push_back({c, c, 0, n});
  }
  return m;
}

// Answers Place from a script (one entry per call, in order); records every call.
class ScriptedBackend final : public PlacementBackend {
 public:
  std::deque<AttemptResult> script;
  std::vector<std::string> calls;

  void AdvanceTo(double time_s) override { calls.push_back("advance " + std::to_string(time_s)); }
  AttemptResult Place(const SimPod& pod, const nlohmann::json& object) override {
    calls.push_back("place " + pod.spec.name + " " + object["metadata"]["uid"].get<std::string>());
    EXPECT_FALSE(script.empty()) << "unexpected Place of " << pod.spec.name;
    if (script.empty()) return {};
    AttemptResult r = script.front();
    script.pop_front();
    return r;
  }
  void Remove(const SimPod& pod, const std::string& node) override {
    calls.push_back("remove " + pod.spec.name + " " + node);
  }
};

AttemptResult Placed(std::vector<int> cpus, std::vector<int> memory_numa) {
  AttemptResult r;
  r.kind = AttemptResult::Kind::kPlaced;
  r.node = "node-0000";
  r.containers["app0"].cpus = std::move(cpus);
  r.containers["app0"].memory_numa["memory"] = std::move(memory_numa);
  r.extender_latency_us = {10, 20};
  return r;
}
AttemptResult Rejected() {
  AttemptResult r;
  r.kind = AttemptResult::Kind::kAdmissionError;
  r.node = "node-0000";
  r.reason = "TopologyAffinityError: Resources cannot be allocated with Topology locality";
  return r;
}
AttemptResult Pending() {
  AttemptResult r;
  r.kind = AttemptResult::Kind::kPending;
  r.reason = "0/1 nodes are available: 1 Insufficient cpu.";
  return r;
}

ClusterSpec OneNode() {
  ClusterSpec c;
  SimNodeSpec n;
  n.name = "node-0000";
  n.topology = "two-by-two";
  c.nodes.push_back(n);
  return c;
}

TEST(EventDriver, RecreatesRejectedReplicaSetPodsUntilPlaced) {
  ScriptedBackend backend;
  backend.script = {Rejected(), Rejected(), Placed({0, 1}, {0})};
  Workload w = testing::MakeWorkload({Create(1, Pod("a", 2, "1Gi"))}, 10);
  NullRunObserver observer;
  PlacementResult r = RunEvents("x", OneNode(), {TwoByTwo()}, w, backend, observer);
  EXPECT_EQ(r.counters.placed, 1);
  EXPECT_EQ(r.counters.admission_errors, 2);
  EXPECT_EQ(r.counters.recreated, 2);
  EXPECT_EQ(r.counters.failed, 0);
  EXPECT_EQ(r.pods[0].attempts, 3);
  EXPECT_EQ(r.pods[0].recreations, 2);
  EXPECT_EQ(r.pods[0].final, "default/a-r2");
  EXPECT_TRUE(r.pods[0].aligned);
  EXPECT_EQ(r.counters.numa_pods, 1);
  // Each incarnation has its own deterministic name and uid.
  EXPECT_EQ(backend.calls[1], "place a sim-0000000001-0");
  EXPECT_EQ(backend.calls[2], "place a-r1 sim-0000000001-1");
  EXPECT_EQ(backend.calls[3], "place a-r2 sim-0000000001-2");
  EXPECT_EQ(r.extender_latency_us, (std::vector<double>{10, 20}));
}

TEST(EventDriver, StopsAfterTheAttemptBoundAndBarePodsStayFailed) {
  ScriptedBackend backend;
  for (int i = 0; i < kMaxAttemptsPerEvent + 1; ++i) backend.script.push_back(Rejected());
  Workload w = testing::MakeWorkload(
      {Create(1, Pod("rs", 2, "1Gi")), Create(2, Pod("bare", 2, "1Gi", /*replicaset=*/false))}, 10);
  NullRunObserver observer;
  PlacementResult r = RunEvents("x", OneNode(), {TwoByTwo()}, w, backend, observer);
  EXPECT_EQ(r.pods[0].attempts, kMaxAttemptsPerEvent);
  EXPECT_EQ(r.pods[0].outcome, OutcomeKind::kAdmissionError);
  EXPECT_EQ(r.pods[1].attempts, 1);
  EXPECT_EQ(r.pods[1].recreations, 0);
  EXPECT_EQ(r.counters.admission_errors, kMaxAttemptsPerEvent + 1);
  EXPECT_EQ(r.counters.recreated, kMaxAttemptsPerEvent - 1);
  EXPECT_EQ(r.counters.failed, 2);
  EXPECT_EQ(r.counters.placed, 0);
}

TEST(EventDriver, RetriesPendingPodsAfterTheRetryPeriodAndDeletesLivePods) {
  ScriptedBackend backend;
  // a: pending at t=1, still pending at the retry before t=20, placed at the retry before t=30
  // (spread over both NUMA nodes although one would do); b placed at t=20, deleted at t=30.
  backend.script = {Pending(), Pending(), Placed({0}, {0}), Placed({1, 2}, {0, 1})};
  Workload w = testing::MakeWorkload(
      {Create(1, Pod("a", 2, "1Gi")), Create(20, Pod("b", 1, "1Gi")),
       Delete(30, Pod("b", 1, "1Gi")), Create(40, Pod("c", 0, "", true, false))},
      50);
  backend.script.push_back(Placed({}, {}));  // c: BestEffort, no NUMA affinity
  NullRunObserver observer;
  PlacementResult r = RunEvents("x", OneNode(), {TwoByTwo()}, w, backend, observer);
  std::vector<std::string> places;
  for (const auto& c : backend.calls) {
    if (!c.starts_with("advance")) places.push_back(c);
  }
  EXPECT_EQ(places,
            (std::vector<std::string>{"place a sim-0000000001-0", "place a sim-0000000001-0",
                                      "place b sim-0000000002-0", "place a sim-0000000001-0",
                                      "remove b node-0000", "place c sim-0000000004-0"}));
  EXPECT_EQ(r.pods[0].outcome, OutcomeKind::kPlaced);
  EXPECT_EQ(r.pods[0].attempts, 1);  // retries of a pending pod are not new incarnations
  EXPECT_FALSE(r.pods[0].aligned);
  EXPECT_TRUE(r.pods[0].spread_more_than_needed);
  EXPECT_TRUE(r.pods[1].aligned);
  EXPECT_DOUBLE_EQ(r.pods[1].deleted_at_s, 30);
  EXPECT_EQ(r.counters.placed, 3);
  EXPECT_EQ(r.counters.numa_pods, 2);
  EXPECT_DOUBLE_EQ(r.counters.aligned_share, 0.5);
  EXPECT_DOUBLE_EQ(r.counters.spread_share, 0.5);
  // NUMA 0 series: b's CPU 0 from t=20 to t=30, a's CPU 1 from t=30.
  const auto& numa0 = r.numa_series.at(0).cpu_used;
  EXPECT_DOUBLE_EQ(numa0.at(10), 0.0);  // t = 50*10/60 ~ 8.3
  EXPECT_DOUBLE_EQ(numa0.at(30), 0.5);  // t = 25
  EXPECT_DOUBLE_EQ(numa0.at(40), 0.5);  // t = 33.3: only a
  EXPECT_DOUBLE_EQ(numa0.at(60), 0.5);  // t = 50: a holds CPU 1
  EXPECT_DOUBLE_EQ(r.numa_series.at(1).cpu_used.at(60), 0.5);
}

}  // namespace
}  // namespace numalign::sim
