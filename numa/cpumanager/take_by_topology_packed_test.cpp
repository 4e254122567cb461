#include <gtest/gtest.h>

#include "numa/cpumanager/take_by_topology.h"
#include "numa/cpumanager/test_machines.h"

namespace numalign::numa {
namespace {

class CpuPackedTest : public ::testing::Test {
 protected:
  // 2 sockets, one NUMA node each, 4 cores per node, 2 threads: core c = {c, c + 8}.
  CpuPackedTest() {
    std::string error;
    topo_ = *CpuTopology::Create(testing::SmtMachine(2, 1, 4, 2), &error);
  }
  CpuSet Take(const CpuSet& available, int count,
              CpuSortingStrategy strategy = CpuSortingStrategy::kPacked) {
    const TakeResult result = TakeByTopologyNumaPacked(topo_, available, count, strategy);
    EXPECT_TRUE(result.ok()) << result.error;
    return result.cpus;
  }
  CpuTopology topo_;
};

TEST_F(CpuPackedTest, TopologyGroupsSiblingsIntoCores) {
  EXPECT_EQ(topo_.CpusPerCore(), 2);
  EXPECT_EQ(topo_.NumCores(), 8);
  EXPECT_EQ(topo_.NumSockets(), 2);
  EXPECT_EQ(topo_.NumNumaNodes(), 2);
  EXPECT_TRUE(topo_.NumaFirst());
  EXPECT_EQ(topo_.CpusInCore(3), CpuSet::Of({3, 11}));
}

TEST_F(CpuPackedTest, TakesAWholeCoreBeforeSingleThreads) {
  EXPECT_EQ(Take(topo_.AllCpus(), 2), CpuSet::Of({0, 8}));
  EXPECT_EQ(Take(topo_.AllCpus(), 3), CpuSet::Of({0, 1, 8}));
}

TEST_F(CpuPackedTest, FillsTheFullestUnitFirst) {
  // CPU 1 is busy: its sibling 9 sits on the fullest core of the fullest node, so it goes first.
  const CpuSet available = topo_.AllCpus().Difference(CpuSet::Of({1}));
  EXPECT_EQ(Take(available, 1), CpuSet::Of({9}));
  // Node 1 is busier than node 0 now, so a thread comes from node 1.
  const CpuSet node1_busy = topo_.AllCpus().Difference(CpuSet::Of({4, 12, 5}));
  EXPECT_EQ(Take(node1_busy, 1), CpuSet::Of({13}));
}

TEST_F(CpuPackedTest, TakesWholeNumaNodesThenCores) {
  EXPECT_EQ(Take(topo_.AllCpus(), 8), CpuSet::Of({0, 1, 2, 3, 8, 9, 10, 11}));
  EXPECT_EQ(Take(topo_.AllCpus(), 10), CpuSet::Of({0, 1, 2, 3, 4, 8, 9, 10, 11, 12}));
}

TEST_F(CpuPackedTest, SpreadTakesOneThreadPerCoreFirst) {
  EXPECT_EQ(Take(topo_.AllCpus(), 2, CpuSortingStrategy::kSpread), CpuSet::Of({0, 1}));
}

TEST_F(CpuPackedTest, ReportsTooFewCpusLikeTheKubelet) {
  const TakeResult result =
      TakeByTopologyNumaPacked(topo_, CpuSet::Of({1, 2}), 3, CpuSortingStrategy::kPacked);
  EXPECT_EQ(result.error, "not enough cpus available to satisfy request: requested=3, available=2");
  EXPECT_TRUE(TakeByTopologyNumaPacked(topo_, CpuSet(), 0, CpuSortingStrategy::kPacked).ok());
}

// The kubelet's test machine "dual socket HT": cpu i is on core i % 6, sockets alternate by core,
// one NUMA node per socket.
Machine KubeletDualSocketHT() {
  Machine machine;
  for (int cpu = 0; cpu < 12; ++cpu) {
    const int core = cpu % 6;
    machine.cpus.push_back({cpu, core, core % 2, core % 2});
  }
  return machine;
}

TEST(CpuPackedKubeletTopology, SpreadMatchesTheKubeletsOwnExpectations) {
  std::string error;
  const CpuTopology topo = *CpuTopology::Create(KubeletDualSocketHT(), &error);
  auto spread = [&](int count) {
    return TakeByTopologyNumaPacked(topo, topo.AllCpus(), count, CpuSortingStrategy::kSpread).cpus;
  };
  EXPECT_EQ(spread(2), CpuSet::Of({0, 2}));
  EXPECT_EQ(spread(3), CpuSet::Of({0, 2, 4}));
  EXPECT_EQ(spread(8), CpuSet::Of({0, 2, 4, 6, 8, 10, 1, 3}));
  // Packed with one group-of-two core busy elsewhere: the fuller node goes first.
  const CpuSet available = CpuSet::Of({1, 2, 3, 4, 5, 7, 8, 9, 10, 11});
  EXPECT_EQ(TakeByTopologyNumaPacked(topo, available, 1, CpuSortingStrategy::kPacked).cpus,
            CpuSet::Of({2}));
  // Distributed picks the node that stays most balanced.
  EXPECT_EQ(TakeByTopologyNumaDistributed(topo, available, 1, 1, CpuSortingStrategy::kPacked).cpus,
            CpuSet::Of({1}));
}

TEST(CpuTopology, NamesCoresByTheirLowestThreadEvenWhenCoreIdsRepeat) {
  // Two sockets both reporting core id 0: the kubelet's cores are {0,2} and {1,3}.
  Machine machine;
  machine.cpus = {{0, 0, 0, 0}, {1, 0, 1, 1}, {2, 0, 0, 0}, {3, 0, 1, 1}};
  std::string error;
  const auto topo = CpuTopology::Create(machine, &error);
  ASSERT_TRUE(topo);
  EXPECT_EQ(topo->NumCores(), 2);
  EXPECT_EQ(topo->CpusInCore(0), CpuSet::Of({0, 2}));
  EXPECT_EQ(topo->CpusInCore(1), CpuSet::Of({1, 3}));
  EXPECT_EQ(topo->Placement(3)->core, 1);
}

TEST(CpuTopology, RejectsDuplicateOrNegativeCpuIds) {
  std::string error;
  Machine duplicate;
  duplicate.cpus = {{0, 0, 0, 0}, {0, 1, 0, 0}};
  EXPECT_FALSE(CpuTopology::Create(duplicate, &error));
  EXPECT_NE(error.find("twice"), std::string::npos);
  Machine negative;
  negative.cpus = {{-1, 0, 0, 0}};
  EXPECT_FALSE(CpuTopology::Create(negative, &error));
}

}  // namespace
}  // namespace numalign::numa
