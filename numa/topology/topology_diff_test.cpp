#include "numa/topology/topology_diff.h"

#include <gtest/gtest.h>

#include "numa/topology/hwloc_loader.h"
#include "numa/topology/sysfs_loader.h"

namespace numalign::numa {
namespace {

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n  " + l;
  return out;
}

Machine TwoNodes() {
  Machine m;
  m.numa_nodes = {{0, {0, 1}, 16ULL << 30, {{2ULL << 20, 0}}, ""},
                  {1, {2, 3}, 16ULL << 30, {{2ULL << 20, 4ULL << 20}}, ""}};
  m.cpus = {{0, 0, 0, 0}, {1, 1, 0, 0}, {2, 0, 1, 1}, {3, 1, 1, 1}};
  m.distances = {{0, {{0, 10}, {1, 21}}}, {1, {{0, 21}, {1, 10}}}};
  return m;
}

bool Mentions(const std::vector<std::string>& diff, const std::string& text) {
  for (const auto& line : diff) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(HwlocSysfsDiffTest, IdenticalMachinesAgree) {
  EXPECT_TRUE(CompareMachines(TwoNodes(), "a", TwoNodes(), "b").empty());
}

TEST(HwlocSysfsDiffTest, ReportsEachKindOfDisagreement) {
  Machine b = TwoNodes();
  b.numa_nodes[1].cpus = {2};
  b.cpus.pop_back();
  b.numa_nodes[0].memory += 1ULL << 30;
  b.numa_nodes[1].hugepages[2ULL << 20] = 0;
  b.numa_nodes[1].hugepages[1ULL << 30] = 0;
  b.distances[1][0] = 31;
  b.cpus[1].core = 7;
  const auto diff = CompareMachines(TwoNodes(), "hwloc", b, "sysfs");
  EXPECT_TRUE(Mentions(diff, "node 1: cpus differ")) << Join(diff);
  EXPECT_TRUE(Mentions(diff, "node 0: memory differs")) << Join(diff);
  EXPECT_TRUE(Mentions(diff, "node 1: hugepages-2Mi pool differs")) << Join(diff);
  EXPECT_TRUE(Mentions(diff, "node 1: hugepages-1Gi is known only to sysfs")) << Join(diff);
  EXPECT_TRUE(Mentions(diff, "distance 1->0: hwloc 21, sysfs 31")) << Join(diff);
  EXPECT_TRUE(Mentions(diff, "cpu 1: hwloc says core 1")) << Join(diff);
  EXPECT_TRUE(Mentions(diff, "cpus only in hwloc: 3")) << Join(diff);
}

TEST(HwlocSysfsDiffTest, ReportsNodeIdsAndMissingMatrices) {
  Machine b = TwoNodes();
  b.numa_nodes.push_back({8, {}, 1ULL << 30, {}, ""});
  b.distances.clear();
  const auto diff = CompareMachines(TwoNodes(), "a", b, "b");
  EXPECT_TRUE(Mentions(diff, "only in b: 8")) << Join(diff);
  EXPECT_TRUE(Mentions(diff, "distances: b has none")) << Join(diff);
}

TEST(HwlocSysfsDiffTest, MemoryWithinToleranceAgrees) {
  Machine b = TwoNodes();
  b.numa_nodes[0].memory -= 4ULL << 20;  // 4 MiB of 16 GiB
  EXPECT_TRUE(CompareMachines(TwoNodes(), "a", b, "b").empty());
}

TEST(HwlocSysfsDiffTest, SingleNodeSelfDistanceEqualsNoMatrix) {
  Machine a;
  a.numa_nodes = {{0, {0}, 1ULL << 30, {}, ""}};
  a.cpus = {{0, 0, 0, 0}};
  Machine b = a;
  b.distances[0][0] = 10;
  EXPECT_TRUE(CompareMachines(a, "hwloc", b, "sysfs").empty());
}

// Both backends on this very machine must describe the same hardware.
TEST(HwlocSysfsLiveCrossCheckTest, LiveHwlocAgreesWithSysfsOnThisMachine) {
  std::string error;
  auto hwloc = LoadMachineFromLiveHwloc(&error);
  ASSERT_TRUE(hwloc.has_value()) << error;
  auto sysfs = LoadMachineFromSysfs(SysfsOptions{}, &error);
  ASSERT_TRUE(sysfs.has_value()) << error;
  const auto diff = CompareMachines(*hwloc, "hwloc", *sysfs, "sysfs");
  EXPECT_TRUE(diff.empty()) << Join(diff);
}

}  // namespace
}  // namespace numalign::numa
