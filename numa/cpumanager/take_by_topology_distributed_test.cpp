#include <gtest/gtest.h>

#include "numa/cpumanager/go_combinations.h"
#include "numa/cpumanager/take_by_topology.h"
#include "numa/cpumanager/test_machines.h"

namespace numalign::numa {
namespace {

class CpuDistributedTest : public ::testing::Test {
 protected:
  // 2 NUMA nodes (one per socket) of 4 single-thread cores: node 0 = 0-3, node 1 = 4-7.
  CpuDistributedTest() {
    std::string error;
    topo_ = *CpuTopology::Create(testing::SmtMachine(2, 1, 4, 1), &error);
  }
  CpuSet Take(const CpuSet& available, int count, int group_size = 1) {
    const TakeResult result = TakeByTopologyNumaDistributed(topo_, available, count, group_size,
                                                            CpuSortingStrategy::kPacked);
    EXPECT_TRUE(result.ok()) << result.error;
    return result.cpus;
  }
  CpuTopology topo_;
};

TEST_F(CpuDistributedTest, FitsOneNodeWhenItCan) {
  EXPECT_EQ(Take(topo_.AllCpus(), 4), CpuSet::Of({0, 1, 2, 3}));
}

TEST_F(CpuDistributedTest, SplitsEvenlyAcrossNodes) {
  // Packed would take node 0 whole plus two of node 1.
  EXPECT_EQ(Take(topo_.AllCpus(), 6), CpuSet::Of({0, 1, 2, 4, 5, 6}));
}

TEST_F(CpuDistributedTest, GivesTheRemainderWhereItBalancesFreeCpus) {
  // Node 0 has 3 free, node 1 has 4: two each, and the fifth from node 1 leaves 1 free on each.
  const CpuSet available = topo_.AllCpus().Difference(CpuSet::Of({0}));
  EXPECT_EQ(Take(available, 5), CpuSet::Of({1, 2, 4, 5, 6}));
}

TEST_F(CpuDistributedTest, FallsBackToPackedForPartialGroups) {
  EXPECT_EQ(Take(topo_.AllCpus(), 5, 2), CpuSet::Of({0, 1, 2, 3, 4}));
}

// Expectations from the kubelet's own cpu_assignment tests on its dual-socket, 4-NUMA, HT machine
// (NUMA node n = cores 10n..10n+9, core c = {c, c + 40}).
class CpuDistributedKubeletTopologyTest : public ::testing::Test {
 protected:
  CpuDistributedKubeletTopologyTest() {
    std::string error;
    topo_ = *CpuTopology::Create(testing::SmtMachine(2, 2, 10, 2), &error);
  }
  CpuSet Take(const std::string& available, int count, int group_size) {
    std::string error;
    const TakeResult result = TakeByTopologyNumaDistributed(
        topo_, *CpuSet::Parse(available, &error), count, group_size, CpuSortingStrategy::kPacked);
    EXPECT_TRUE(result.ok()) << result.error;
    return result.cpus;
  }
  CpuTopology topo_;
};

TEST_F(CpuDistributedKubeletTopologyTest, MatchesTheKubeletsOwnExpectations) {
  EXPECT_EQ(Take("0-79", 26, 1).ToString(), "0-6,10-16,40-45,50-55");
  EXPECT_EQ(Take("0-79", 26, 2).ToString(), "0-6,10-15,40-46,50-55");
  EXPECT_EQ(Take("0-79", 62, 1).ToString(), "0-7,10-17,20-27,30-37,40-47,50-57,60-66,70-76");
  EXPECT_EQ(Take("0-79", 62, 2).ToString(), "0-7,10-17,20-27,30-36,40-47,50-57,60-67,70-76");
  EXPECT_EQ(Take("0-8,10-18,20-39,40-48,50-58,60-79", 62, 1).ToString(),
            "0-7,10-17,20-27,30-37,40-46,50-56,60-67,70-77");
  EXPECT_EQ(Take("0-8,10-18,20-39,40-48,50-58,60-79", 62, 2).ToString(),
            "0-7,10-16,20-27,30-37,40-47,50-56,60-67,70-77");
  EXPECT_EQ(Take("0-3,10-13,20-23,30-36,40-43,50-53,60-63,70-76", 34, 1).ToString(),
            "0-3,10-13,20-23,30-34,40-43,50-53,60-63,70-74");
  EXPECT_EQ(Take("2-29,31-39,42-69,71-79", 48, 1).ToString(),
            "10-17,20-27,31-38,50-57,60-67,71-78");
}

TEST_F(CpuDistributedKubeletTopologyTest, PackedTakesSocketsFirstWhenSocketsHoldSeveralNodes) {
  // Fewer sockets than NUMA nodes: whole sockets are the first level, NUMA nodes the second.
  EXPECT_FALSE(topo_.NumaFirst());
  auto packed = [&](int count) {
    return TakeByTopologyNumaPacked(topo_, topo_.AllCpus(), count, CpuSortingStrategy::kPacked)
        .cpus.ToString();
  };
  EXPECT_EQ(packed(1), "0");
  EXPECT_EQ(packed(20), "0-9,40-49");
  EXPECT_EQ(packed(40), "0-19,40-59");
  EXPECT_EQ(packed(60), "0-29,40-69");
}

TEST(GoCombinations, KeptSubsetsOfFourShareTheirBackingArrayLikeGo) {
  std::vector<GoIntSlice> kept;
  IterateGoCombinations(std::vector<int>{0, 1, 2, 3, 4, 5}, 4, [&](const GoIntSlice& s) {
    kept.push_back(s);
    return true;
  });
  ASSERT_EQ(kept.size(), 15u);
  // {0,1,2,3} was overwritten by its siblings {0,1,2,4} and {0,1,2,5}.
  EXPECT_EQ(kept[0].Values(), (std::vector<int>{0, 1, 2, 5}));
  EXPECT_EQ(kept[2].Values(), (std::vector<int>{0, 1, 2, 5}));

  std::vector<GoIntSlice> triples;
  IterateGoCombinations(std::vector<int>{0, 1, 2, 3}, 3, [&](const GoIntSlice& s) {
    triples.push_back(s);
    return true;
  });
  ASSERT_EQ(triples.size(), 4u);
  EXPECT_EQ(triples[0].Values(), (std::vector<int>{0, 1, 2}));  // fresh arrays below length 4
  EXPECT_EQ(triples[3].Values(), (std::vector<int>{1, 2, 3}));
}

}  // namespace
}  // namespace numalign::numa
