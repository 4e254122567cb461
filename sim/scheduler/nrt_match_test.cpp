#include "sim/scheduler/nrt_match.h"

#include <gtest/gtest.h>

#include "sim/testing/sim_test_support.h"

namespace numalign::sim {
namespace {

using testing::Pod;
using testing::Q;

constexpr std::int64_t kGi = 1ll << 30;

// z0: 4 CPUs, 8Gi; z1: 2 CPUs, 16Gi; distances 10/20.
NrtData TwoZones(const std::string& policy = "single-numa-node",
                 const std::string& scope = "container") {
  NrtData nrt;
  nrt.policy = policy;
  nrt.scope = scope;
  nrt.zones = {{0, {{"cpu", 4000}, {"memory", 8 * kGi}}, {{0, 10}, {1, 20}}},
               {1, {{"cpu", 2000}, {"memory", 16 * kGi}}, {{0, 20}, {1, 10}}}};
  return nrt;
}

const ResourceList kAllocatable = {{"cpu", 6000}, {"memory", 24 * kGi}, {"pods", 110}};

numa::QosClass Qos(const SimPod& p) {
  return numa::ComputeQosClass(p.spec);
}

std::optional<std::string> Filter(const SimPod& p, const NrtData& nrt) {
  return NrtFilter(p.spec, Qos(p), nrt, kAllocatable);
}

SimPod TwoContainers(std::int64_t a, std::int64_t b) {
  SimPod p = Pod("two", a, "1Gi");
  numa::ContainerSpec c = p.spec.containers[0];
  c.name = "app1";
  c.requests["cpu"] = c.limits["cpu"] = numa::Quantity::FromInt(b);
  p.spec.containers.push_back(c);
  return p;
}

TEST(NrtFilter, SingleNumaNodeChecksGuaranteedPodsOnZoneAvailable) {
  EXPECT_EQ(Filter(Pod("g", 3, "1Gi"), TwoZones()), std::nullopt);
  EXPECT_EQ(Filter(Pod("g", 5, "1Gi"), TwoZones()), "cannot align container: app0");
  EXPECT_EQ(Filter(Pod("g", 1, "12Gi"), TwoZones()), std::nullopt);  // z1 has the memory
  EXPECT_EQ(Filter(Pod("g", 3, "12Gi"), TwoZones()), "cannot align container: app0");
  // Not aligned by the kubelet, so not checked: Burstable and BestEffort pods.
  EXPECT_EQ(Filter(Pod("b", 5, "1Gi", true, /*guaranteed=*/false), TwoZones()), std::nullopt);
  EXPECT_EQ(Filter(Pod("e", 0, ""), TwoZones()), std::nullopt);
  // Only single-numa-node is modelled: other policies pass unchecked.
  EXPECT_EQ(Filter(Pod("g", 5, "1Gi"), TwoZones("restricted")), std::nullopt);
}

TEST(NrtFilter, ContainerScopeTakesAppContainersInTurnPodScopeTheSum) {
  // 3 then 3: the first takes z0 (4 -> 1), the second finds no zone with 3.
  EXPECT_EQ(Filter(TwoContainers(3, 3), TwoZones()), "cannot align container: app1");
  EXPECT_EQ(Filter(TwoContainers(3, 2), TwoZones()), std::nullopt);  // z0, then z1
  EXPECT_EQ(Filter(TwoContainers(2, 2), TwoZones("single-numa-node", "pod")), std::nullopt);
  EXPECT_EQ(Filter(TwoContainers(3, 2), TwoZones("single-numa-node", "pod")),
            "cannot align pod: two");
  // Init containers are checked alone (they run before the app containers).
  SimPod init = Pod("i", 1, "1Gi");
  numa::ContainerSpec c = init.spec.containers[0];
  c.name = "init0";
  c.role = numa::ContainerRole::kInit;
  c.requests["cpu"] = c.limits["cpu"] = numa::Quantity::FromInt(5);
  init.spec.init_containers.push_back(c);
  EXPECT_EQ(Filter(init, TwoZones()), "cannot align init container: init0");
}

TEST(NrtFilter, ARequestedResourceTheNodeLacksFails) {
  SimPod p = Pod("h", 1, "1Gi");
  p.spec.containers[0].requests["hugepages-1Gi"] = Q("1Gi");
  p.spec.containers[0].limits["hugepages-1Gi"] = Q("1Gi");
  EXPECT_EQ(Filter(p, TwoZones()), "cannot align container: app0");
}

TEST(NrtScore, PerZoneStrategiesTakeTheMinimumNonZeroZone) {
  const SimPod p = Pod("g", 2, "4Gi");
  NrtScoringOptions least;
  // z0: cpu (4-2)/4 = 50, memory (8-4)/8 = 50 -> 50; z1: cpu 0, memory 75 -> 37.
  EXPECT_EQ(NrtScore(p.spec, Qos(p), TwoZones(), least), 37);
  NrtScoringOptions most;
  most.strategy = NrtScoringStrategy::kMostAllocated;
  // z0: 50, 50 -> 50; z1: 100, 25 -> 62.
  EXPECT_EQ(NrtScore(p.spec, Qos(p), TwoZones(), most), 50);
  NrtScoringOptions balanced;
  balanced.strategy = NrtScoringStrategy::kBalancedAllocation;
  // z0: fractions 0.5, 0.5 -> 100; z1: 1, 0.25 -> variance 0.140625 -> 85.
  EXPECT_EQ(NrtScore(p.spec, Qos(p), TwoZones(), balanced), 85);
  // Weights change the mean: cpu 3, memory 1 on z1: (0*3 + 75) / 4 = 18.
  NrtScoringOptions weighted;
  weighted.weights = {{"cpu", 3}, {"memory", 1}};
  EXPECT_EQ(NrtScore(p.spec, Qos(p), TwoZones(), weighted), 18);
  // Non-Guaranteed pods score the maximum; other policies score 0.
  const SimPod b = Pod("b", 2, "4Gi", true, false);
  EXPECT_EQ(NrtScore(b.spec, Qos(b), TwoZones(), least), 100);
  EXPECT_EQ(NrtScore(p.spec, Qos(p), TwoZones("best-effort"), least), 0);
}

TEST(NrtScore, ContainerScopeAveragesTheContainers) {
  // app0 (3 CPUs, 1Gi): z0 cpu 25, mem 87 -> 56; z1 cannot hold 3 CPUs: cpu 0, mem 93 -> 46.
  // app1 (1 CPU, 1Gi): z0 cpu 75, mem 87 -> 81; z1 cpu 50, mem 93 -> 71. Mean (46 + 71) / 2.
  NrtScoringOptions least;
  const SimPod p = TwoContainers(3, 1);
  EXPECT_EQ(NrtScore(p.spec, Qos(p), TwoZones(), least), 58);
}

TEST(NrtScore, LeastNumaNodesCountsZonesAndDistance) {
  NrtScoringOptions options;
  options.strategy = NrtScoringStrategy::kLeastNumaNodes;
  // unit = 100 / 8 = 12; one zone, optimal distance: 100 - 12 + 6.
  const SimPod small = Pod("s", 2, "4Gi");
  EXPECT_EQ(NrtScore(small.spec, Qos(small), TwoZones(), options), 94);
  // 5 CPUs need both zones: 100 - 24 + 6 (the only pair is the best pair).
  const SimPod big = Pod("b", 5, "4Gi");
  EXPECT_EQ(NrtScore(big.spec, Qos(big), TwoZones("none"), options), 82);
  // More than the node has: 0.
  const SimPod huge = Pod("h", 7, "4Gi");
  EXPECT_EQ(NrtScore(huge.spec, Qos(huge), TwoZones(), options), 0);
}

TEST(NrtScoringStrategy, ParsesTheApiNames) {
  EXPECT_EQ(ParseNrtScoringStrategy("LeastNUMANodes"), NrtScoringStrategy::kLeastNumaNodes);
  EXPECT_EQ(ToString(NrtScoringStrategy::kBalancedAllocation), "BalancedAllocation");
  EXPECT_FALSE(ParseNrtScoringStrategy("leastallocated"));
}

}  // namespace
}  // namespace numalign::sim
