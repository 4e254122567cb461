#include "numa/cpumanager/cpu_hints.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <random>

#include "numa/cpumanager/test_machines.h"
#include "numa/topologymanager/bitmask.h"

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

// The mask walk of GenerateCpuTopologyHints before it was made allocation-free, kept verbatim
// as the reference for the randomized differential test below.
std::vector<TopologyHint> ReferenceHints(const CpuTopology& topo, const NumaIdMap& ids,
                                         const StaticPolicyOptions& options,
                                         const CpuSet& available, const CpuSet& reusable,
                                         int request) {
  std::vector<int> positions;
  std::vector<std::size_t> capacity_at(64, 0), available_at(64, 0);
  for (int numa : topo.NumaIds()) {
    const int position = ids.PositionOf(numa);
    if (position < 0) continue;
    positions.push_back(position);
    capacity_at[position] = topo.CpusInNuma(numa).size();
    available_at[position] = available.IntersectionSize(topo.CpusInNuma(numa));
  }
  NumaMask reusable_nodes;
  bool reusable_outside = false;
  reusable.ForEach([&](int cpu) {
    const CpuPlacement* placement = topo.Placement(cpu);
    const int position = placement ? ids.PositionOf(placement->numa) : -1;
    if (position < 0) {
      reusable_outside = true;
    } else {
      reusable_nodes = reusable_nodes.Or(NumaMask(std::uint64_t{1} << position));
    }
  });
  int min_affinity_size = topo.NumNumaNodes();
  std::vector<TopologyHint> hints;
  IterateMasks(positions, [&](NumaMask mask) {
    std::size_t capacity = 0;
    std::size_t free = 0;
    for (std::uint64_t bits = mask.value(); bits != 0; bits &= bits - 1) {
      const int position = std::countr_zero(bits);
      capacity += capacity_at[position];
      free += available_at[position];
    }
    if (capacity >= static_cast<std::size_t>(request) && mask.Count() < min_affinity_size) {
      min_affinity_size = mask.Count();
    }
    if (reusable_outside || !reusable_nodes.IsSubsetOf(mask)) return true;
    if (reusable.size() + free < static_cast<std::size_t>(request)) return true;
    hints.push_back({mask, false});
    return true;
  });
  for (TopologyHint& hint : hints) {
    if (options.align_by_socket) {
      const int numas_per_socket =
          topo.NumSockets() == 0 ? 0 : topo.NumNumaNodes() / topo.NumSockets();
      if (numas_per_socket != 0) {
        const int min_sockets = (min_affinity_size + numas_per_socket - 1) / numas_per_socket;
        const CpuSet cpus = topo.CpusInNumas(ids.IdsOf(*hint.affinity));
        if (static_cast<int>(topo.SocketsOf(cpus).size()) == min_sockets) {
          hint.preferred = true;
          continue;
        }
      }
    }
    if (hint.affinity->Count() == min_affinity_size) hint.preferred = true;
  }
  return hints;
}

TEST(CpuHints, RandomizedAgreesWithReferenceWalk) {
  std::mt19937 random(4242);
  for (int round = 0; round < 3000; ++round) {
    // A few machines with 17 nodes take the walk without subset tables.
    const bool wide = round % 500 == 0;
    const int sockets = wide ? 1 : 1 + static_cast<int>(random() % 2);
    const int numas = wide ? 17 : 1 + static_cast<int>(random() % 4);
    const int cores = 1 + static_cast<int>(random() % 3);
    const int threads = 1 + static_cast<int>(random() % 2);
    const Machine machine = testing::SmtMachine(sockets, numas, cores, threads);
    std::string error;
    const auto topo = CpuTopology::Create(machine, &error);
    ASSERT_TRUE(topo) << error;
    const NumaIdMap ids = testing::IdsOf(machine);
    const int cpus = static_cast<int>(topo->AllCpus().size());
    CpuSet available;
    CpuSet reusable;
    for (int cpu = 0; cpu < cpus; ++cpu) {
      const unsigned draw = random() % 8;
      if (draw < 5) available.Add(cpu);
      if (draw == 5 && random() % 3 == 0) reusable.Add(cpu);
    }
    if (random() % 50 == 0) reusable.Add(cpus + 3);  // outside the machine
    StaticPolicyOptions options;
    options.align_by_socket = random() % 4 == 0;
    const int request = 1 + static_cast<int>(random() % (cpus + 1));
    ASSERT_EQ(GenerateCpuTopologyHints(*topo, ids, options, available, reusable, request),
              ReferenceHints(*topo, ids, options, available, reusable, request))
        << "round " << round;
  }
}

}  // namespace
}  // namespace numalign::numa
