#include "numa/cpumanager/cpu_hints.h"

#include <gtest/gtest.h>

#include "numa/cpumanager/test_machines.h"

namespace numalign::numa {
namespace {

std::vector<TopologyHint> Hints(const Machine& machine, const CpuSet& available,
                                const CpuSet& reusable, int request,
                                StaticPolicyOptions options = {}) {
  std::string error;
  const auto topo = CpuTopology::Create(machine, &error);
  return GenerateCpuTopologyHints(*topo, testing::IdsOf(machine), options, available, reusable,
                                  request);
}

// Section 7, C1: node 0 has 1 available CPU, node 1 has 4. {0} is not offered, yet the minimum
// size stays 1 because node 0 has 4 CPUs of capacity.
TEST(CpuHints, C1PreferenceFollowsCapacityNotAvailability) {
  const Machine machine = testing::SmtMachine(2, 1, 4, 1);  // node0: 0-3, node1: 4-7
  const auto hints = Hints(machine, CpuSet::Of({3, 4, 5, 6, 7}), {}, 2);
  const std::vector<TopologyHint> expected = {{NumaMask::Of({1}), true},
                                              {NumaMask::Of({0, 1}), false}};
  EXPECT_EQ(hints, expected);
}

// Section 7, C2: the same machine asked for 5 CPUs needs both nodes, which is then preferred.
TEST(CpuHints, C2RequestLargerThanANodePrefersBothNodes) {
  const Machine machine = testing::SmtMachine(2, 1, 4, 1);
  const auto hints = Hints(machine, CpuSet::Of({3, 4, 5, 6, 7}), {}, 5);
  const std::vector<TopologyHint> expected = {{NumaMask::Of({0, 1}), true}};
  EXPECT_EQ(hints, expected);
}

TEST(CpuHints, ReusableCpusForceTheirNodeIntoEveryMask) {
  const Machine machine = testing::SmtMachine(2, 1, 4, 1);
  // An init container held CPU 0 (node 0); node 0 has nothing else free.
  const auto hints = Hints(machine, CpuSet::Of({4, 5, 6, 7}), CpuSet::Of({0}), 2);
  const std::vector<TopologyHint> expected = {{NumaMask::Of({0, 1}), false}};
  EXPECT_EQ(hints, expected);
}

TEST(CpuHints, NothingFitsGivesAnEmptyList) {
  const Machine machine = testing::SmtMachine(2, 1, 4, 1);
  EXPECT_TRUE(Hints(machine, CpuSet::Of({1, 2}), {}, 3).empty());
}

TEST(CpuHints, AlignBySocketPrefersMasksWithinTheFewestSockets) {
  // 2 sockets x 2 NUMA nodes x 2 cores: a 2-CPU request fits one node, but any mask within one
  // socket counts as aligned.
  const Machine machine = testing::SmtMachine(2, 2, 2, 1);
  StaticPolicyOptions options;
  options.align_by_socket = true;
  const auto hints = Hints(machine, CpuSet::Range(0, 7), {}, 2, options);
  for (const TopologyHint& hint : hints) {
    const bool one_socket = hint.affinity->IsSubsetOf(NumaMask::Of({0, 1})) ||
                            hint.affinity->IsSubsetOf(NumaMask::Of({2, 3}));
    EXPECT_EQ(hint.preferred, one_socket) << hint.affinity->ToString();
  }
}

}  // namespace
}  // namespace numalign::numa
