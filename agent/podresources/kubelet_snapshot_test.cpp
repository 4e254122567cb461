#include "agent/podresources/kubelet_snapshot.h"

#include <gtest/gtest.h>

#include "agent/podresources/podresources_test_machine.h"

namespace numalign::agent::podresources {
namespace {

KubeletModeConfig Config() {
  return {.node_name = "n1",
          .topology_manager_policy = "single-numa-node",
          .topology_manager_scope = "pod",
          .topology_manager_max_numa_nodes = 8,
          .cpu_manager_policy = "static",
          .memory_manager_policy = "Static"};
}

// Reserved: CPU 0; 1 GiB memory on node 0.
AllocatableResources Allocatable() {
  AllocatableResources a;
  a.cpu_ids = {1, 2, 3, 4, 5, 6, 7};
  a.memory = {{"memory", 15 * kGiB, {0}},
              {"memory", 16 * kGiB, {1}},
              {"hugepages-2Mi", kGiB, {0}},
              {"hugepages-2Mi", kGiB, {1}}};
  return a;
}

TEST(KubeletSnapshotTest, AccountsExclusiveCpusAndPinnedMemoryPerNode) {
  const std::vector<PodAssignment> pods = {
      {"net",
       "dpdk",
       {{"fwd", {2, 3}, {{"memory", 4 * kGiB, {0}}, {"hugepages-2Mi", kGiB / 2, {0}}}}}},
      {"default", "web", {{"nginx", {}, {}}}},
  };
  const auto s = BuildKubeletSnapshot(TwoNodeMachine(), Config(), Allocatable(), pods);

  ASSERT_EQ(s.zones.size(), 2u);
  EXPECT_EQ(s.zones[0].resources.at("cpu"), (NumaResourceAmount{4, 3, 1}));
  EXPECT_EQ(s.zones[1].resources.at("cpu"), (NumaResourceAmount{4, 4, 4}));
  const std::int64_t gib = kGiB;
  EXPECT_EQ(s.zones[0].resources.at("memory"), (NumaResourceAmount{16 * gib, 15 * gib, 11 * gib}));
  EXPECT_EQ(s.zones[0].resources.at("hugepages-2Mi"), (NumaResourceAmount{gib, gib, gib / 2}));
  EXPECT_EQ(s.zones[1].resources.at("memory"), (NumaResourceAmount{16 * gib, 16 * gib, 16 * gib}));
  EXPECT_EQ(s.zones[0].distances, (std::map<int, int>{{0, 10}, {1, 21}}));

  ASSERT_EQ(s.pods.size(), 2u);
  EXPECT_EQ(s.pods[0].namespace_name, "net");
  EXPECT_EQ(s.pods[0].admission_sequence, 1u);
  EXPECT_EQ(s.pods[0].numa_ids, (std::vector<int>{0}));
  EXPECT_EQ(s.pods[0].exclusive_cpus.at("fwd"), (std::vector<int>{2, 3}));
  EXPECT_EQ(s.pods[0].memory_numa.at("fwd").at("hugepages-2Mi"), (std::vector<int>{0}));
  EXPECT_TRUE(s.pods[1].exclusive_cpus.empty());
  EXPECT_TRUE(s.pods[1].numa_ids.empty());

  EXPECT_EQ(s.reserved_cpus, (std::vector<int>{0}));
  EXPECT_EQ(s.shared_pool_cpus, (std::vector<int>{0, 1, 4, 5, 6, 7}));
  EXPECT_TRUE(s.memory_groups.empty());
  EXPECT_EQ(s.pinning_mode, "kubelet");
  EXPECT_EQ(s.topology_manager_policy, "single-numa-node");
  EXPECT_EQ(s.generation, 0u);
}

TEST(KubeletSnapshotTest, CrossNumaBlockFillsNodesInOrderAndFormsAGroup) {
  const std::vector<PodAssignment> pods = {
      {"db", "big", {{"main", {}, {{"memory", 20 * kGiB, {1, 0}}}}}},
      {"db", "big2", {{"main", {}, {{"memory", kGiB, {0, 1}}}}}},
  };
  const auto s = BuildKubeletSnapshot(TwoNodeMachine(), Config(), Allocatable(), pods);
  const std::int64_t gib = kGiB;
  EXPECT_EQ(s.zones[0].resources.at("memory").available, 0);  // 15 GiB taken first
  EXPECT_EQ(s.zones[1].resources.at("memory").available, 10 * gib);
  ASSERT_EQ(s.memory_groups.size(), 1u);
  EXPECT_EQ(s.memory_groups[0].numa_ids, (std::vector<int>{0, 1}));
  EXPECT_EQ(s.memory_groups[0].number_of_assignments, 2);
  EXPECT_EQ(s.pods[0].numa_ids, (std::vector<int>{0, 1}));
}

TEST(KubeletSnapshotTest, PoliciesNoneMeanAllocatableEqualsCapacity) {
  KubeletModeConfig config = Config();
  config.cpu_manager_policy = "none";
  config.memory_manager_policy = "None";
  const auto s = BuildKubeletSnapshot(TwoNodeMachine(), config, {}, {{"a", "b", {{"c", {}, {}}}}});
  EXPECT_EQ(s.zones[0].resources.at("cpu"), (NumaResourceAmount{4, 4, 4}));
  EXPECT_EQ(s.zones[1].resources.at("memory").allocatable, static_cast<std::int64_t>(16 * kGiB));
  EXPECT_TRUE(s.reserved_cpus.empty());
}

void ExpectDataError(const std::vector<PodAssignment>& pods, const std::string& message,
                     const AllocatableResources& allocatable = Allocatable()) {
  try {
    BuildKubeletSnapshot(TwoNodeMachine(), Config(), allocatable, pods);
    FAIL() << "accepted bad data";
  } catch (const PodResourcesDataError& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(KubeletSnapshotTest, MalformedDataIsAClearError) {
  ExpectDataError({{"ns", "p", {{"c", {}, {{"memory", kGiB, {7}}}}}}},
                  "pod ns/p container c: NUMA node 7 is not a NUMA node of this machine "
                  "(nodes: 0,1)");
  ExpectDataError({{"ns", "p", {{"c", {}, {{"memory", kGiB, {-1}}}}}}},
                  "pod ns/p container c: NUMA node -1 is not a NUMA node of this machine "
                  "(nodes: 0,1)");
  ExpectDataError({{"ns", "p", {{"c", {99}, {}}}}},
                  "pod ns/p container c: CPU 99 is not a CPU of this machine");
  ExpectDataError({{"ns", "p", {{"c", {}, {{"hugepages-1Gi", kGiB, {0}}}}}}},
                  "pod ns/p container c: NUMA node 0 has no resource \"hugepages-1Gi\"");
  ExpectDataError({{"ns", "p", {{"c", {}, {{"memory", kGiB, {}}}}}}},
                  "pod ns/p container c: the memory block names no NUMA node");
  ExpectDataError({{"ns", "p", {{"c", {2}, {}}}}, {"ns", "q", {{"d", {2}, {}}}}},
                  "pod ns/q container d: CPU 2 is already exclusive to another container");
  AllocatableResources bad = Allocatable();
  bad.memory.push_back({"memory", kGiB, {3}});
  ExpectDataError({},
                  "allocatable memory: NUMA node 3 is not a NUMA node of this machine "
                  "(nodes: 0,1)",
                  bad);
  bad = Allocatable();
  bad.cpu_ids.push_back(1LL << 40);
  ExpectDataError({}, "allocatable CPUs: CPU 1099511627776 is not a CPU of this machine", bad);
}

TEST(KubeletSnapshotTest, OvercommittedMemoryClampsAtZero) {
  const auto s = BuildKubeletSnapshot(TwoNodeMachine(), Config(), Allocatable(),
                                      {{"ns", "p", {{"c", {}, {{"memory", 40 * kGiB, {0}}}}}}});
  EXPECT_EQ(s.zones[0].resources.at("memory").available, 0);
}

}  // namespace
}  // namespace numalign::agent::podresources
