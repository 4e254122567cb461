// Hand-computed scenario through every in-process placement, pinning down the accounting.
//
// One node, 28intel64-2p2g7c-CoDgroups (4 NUMA nodes x 7 CPUs, no SMT, ~16 GiB each), default
// profile: static CPU manager with CPU 0 reserved (NUMA 0 keeps 6 CPUs), Static memory
// manager, single-numa-node, container scope. Node allocatable: 27 CPUs.
// Pods (Guaranteed, owned by ReplicaSets): p1..p4 with 4 CPUs / 4Gi at t = 1..4, p5 with 5 CPUs
// at t = 5, then a BestEffort pod at t = 30.
// The kubelet puts p1..p4 on NUMA 0, 1, 2, 3 (the narrowest, lowest hint), leaving 2, 3, 3, 3
// CPUs: 11 CPUs in node totals, but no NUMA node with 5.
#include <gtest/gtest.h>

#include "sim/placement/nrt_plugin_placement.h"
#include "sim/placement/numalign_in_process_placement.h"
#include "sim/placement/topology_blind_placement.h"
#include "sim/testing/sim_test_support.h"

namespace numalign::sim {
namespace {

using testing::Create;
using testing::Pod;

constexpr const char* kTopology = "28intel64-2p2g7c-CoDgroups.v1tov2";

class PlacementScenario : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::TopologyAvailable(kTopology));
    cluster_ = testing::Cluster({kTopology});
    workload_ =
        testing::MakeWorkload({Create(1, Pod("p1", 4, "4Gi")), Create(2, Pod("p2", 4, "4Gi")),
                               Create(3, Pod("p3", 4, "4Gi")), Create(4, Pod("p4", 4, "4Gi")),
                               Create(5, Pod("p5", 5, "4Gi")), Create(30, Pod("be", 0, ""))},
                              60);
  }

  PlacementResult Run(Placement& placement) {
    NullRunObserver observer;
    return placement.Run(cluster_.spec, workload_, observer);
  }

  static std::vector<int> NumaOf(const PlacementResult& r, std::size_t pod) {
    return r.pods.at(pod).containers.at(0).numa_nodes;
  }

  LoadedCluster cluster_;
  Workload workload_;
};

TEST_F(PlacementScenario, TopologyBlindRejectsAndRecreatesTheFifthPod) {
  TopologyBlindPlacement placement;
  PlacementResult r = Run(placement);
  EXPECT_EQ(r.counters.pods, 6);
  EXPECT_EQ(r.counters.placed, 5);
  // p5 fits the node totals (11 CPUs free) but no NUMA node: rejected at every one of the
  // kMaxAttemptsPerEvent incarnations, recreated in between.
  EXPECT_EQ(r.counters.admission_errors, 5);
  EXPECT_EQ(r.counters.recreated, 4);
  EXPECT_EQ(r.counters.failed, 1);
  EXPECT_EQ(r.counters.pending, 0);
  EXPECT_EQ(r.pods[4].outcome, OutcomeKind::kAdmissionError);
  EXPECT_EQ(r.pods[4].attempts, 5);
  EXPECT_EQ(r.pods[4].final, "default/p5-r4");
  EXPECT_NE(r.pods[4].reason.find("TopologyAffinityError"), std::string::npos) << r.pods[4].reason;
  EXPECT_EQ(NumaOf(r, 0), std::vector<int>{0});
  EXPECT_EQ(NumaOf(r, 1), std::vector<int>{1});
  EXPECT_EQ(NumaOf(r, 2), std::vector<int>{2});
  EXPECT_EQ(NumaOf(r, 3), std::vector<int>{3});
  EXPECT_EQ(r.counters.numa_pods, 4);  // the BestEffort pod has no exclusive resources
  EXPECT_DOUBLE_EQ(r.counters.aligned_share, 1.0);
  EXPECT_DOUBLE_EQ(r.counters.spread_share, 0.0);
  // All five errors happen at t = 5: the cumulative series steps there.
  ASSERT_EQ(r.sample_times_s.size(), r.admission_errors_at.size());
  for (std::size_t k = 0; k < r.sample_times_s.size(); ++k) {
    EXPECT_EQ(r.admission_errors_at[k], r.sample_times_s[k] >= 5 ? 5 : 0) << k;
  }
  // NUMA 0 has 6 allocatable CPUs, 4 held by p1 at the end.
  ASSERT_EQ(r.numa_series.size(), 4u);
  EXPECT_DOUBLE_EQ(r.numa_series[0].cpu_used.back(), 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(r.numa_series[1].cpu_used.back(), 4.0 / 7.0);
  EXPECT_TRUE(r.extender_latency_us.empty());
}

TEST_F(PlacementScenario, NrtPluginWithStaleDataLetsTheFifthPodFail) {
  NrtPluginOptions options;
  options.exporter_period_s = 10;  // last publication at t = 1, before any pod
  NrtPluginPlacement placement(options);
  PlacementResult r = Run(placement);
  EXPECT_EQ(r.placement, "nrt-plugin");
  EXPECT_EQ(r.counters.placed, 5);
  EXPECT_EQ(r.counters.admission_errors, 5);
  EXPECT_EQ(r.counters.recreated, 4);
  EXPECT_EQ(r.counters.failed, 1);
  EXPECT_EQ(r.counters.pending, 0);
}

TEST_F(PlacementScenario, NrtPluginWithFreshDataKeepsTheFifthPodPending) {
  NrtPluginOptions options;
  options.exporter_period_s = 0;  // republished after every change
  NrtPluginPlacement placement(options);
  PlacementResult r = Run(placement);
  EXPECT_EQ(r.counters.placed, 5);
  EXPECT_EQ(r.counters.admission_errors, 0);
  EXPECT_EQ(r.counters.pending, 1);
  EXPECT_EQ(r.pods[4].outcome, OutcomeKind::kPending);
  EXPECT_EQ(r.pods[4].reason, "0/1 nodes are available: 1 cannot align container: app0.");
}

TEST_F(PlacementScenario, NrtPluginReserveCacheOverReservesUntilTheResync) {
  NrtPluginOptions options;
  options.exporter_period_s = 10;
  options.reserve_cache = true;
  options.resync_period_s = 5;
  NrtPluginPlacement placement(options);
  PlacementResult r = Run(placement);
  EXPECT_EQ(r.placement, "nrt-plugin-reserve");
  // p1 reserves 4 CPUs on every zone (6,7,7,7 -> 2,3,3,3): p2..p5 are filtered out. At t = 5
  // the resync finds the NRT (published at t = 1, no pods) does not match p1: no refresh. At
  // t = 30 the exporter publishes p1, the resync refreshes the cache (2,7,7,7) and the pending
  // pods are retried: p2 fits (then reserves: 0,3,3,3), p3..p5 stay pending.
  EXPECT_EQ(r.counters.admission_errors, 0);
  EXPECT_EQ(r.counters.placed, 3);
  EXPECT_EQ(r.counters.pending, 3);
  EXPECT_EQ(r.pods[0].outcome, OutcomeKind::kPlaced);
  EXPECT_EQ(r.pods[1].outcome, OutcomeKind::kPlaced);
  EXPECT_EQ(NumaOf(r, 1), std::vector<int>{1});
  EXPECT_EQ(r.pods[2].outcome, OutcomeKind::kPending);
  EXPECT_EQ(r.pods[5].outcome, OutcomeKind::kPlaced);
}

TEST_F(PlacementScenario, NumalignFiltersTheFifthPodAndNeverFails) {
  NumalignInProcessPlacement placement;
  PlacementResult r = Run(placement);
  EXPECT_EQ(r.placement, "numalign");
  EXPECT_EQ(r.counters.placed, 5);
  EXPECT_EQ(r.counters.admission_errors, 0);
  EXPECT_EQ(r.counters.recreated, 0);
  EXPECT_EQ(r.counters.pending, 1);
  EXPECT_EQ(r.pods[4].outcome, OutcomeKind::kPending);
  EXPECT_EQ(NumaOf(r, 0), std::vector<int>{0});
  EXPECT_EQ(NumaOf(r, 3), std::vector<int>{3});
  EXPECT_DOUBLE_EQ(r.counters.aligned_share, 1.0);
  EXPECT_TRUE(r.notes.empty()) << r.notes.begin()->first;
  // Filter, prioritize (skipped with one feasible node) and bind per placed Guaranteed pod...
  EXPECT_FALSE(r.extender_latency_us.empty());
  EXPECT_EQ(r.extender_latency.count, static_cast<std::int64_t>(r.extender_latency_us.size()));
}

}  // namespace
}  // namespace numalign::sim
