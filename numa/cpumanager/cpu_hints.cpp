#include "numa/cpumanager/cpu_hints.h"

#include <bit>
#include <cstdint>

namespace numalign::numa {
namespace {

// OS ids of the NUMA nodes in `mask`, which must all hold CPUs to matter here.
std::vector<int> NumasOfMask(const NumaIdMap& ids, NumaMask mask) {
  return ids.IdsOf(mask);
}

// The kubelet's isHintSocketAligned.
bool IsHintSocketAligned(const CpuTopology& topo, const NumaIdMap& ids, NumaMask mask,
                         int min_affinity_size) {
  if (topo.NumSockets() == 0) return false;
  const int numas_per_socket = topo.NumNumaNodes() / topo.NumSockets();
  if (numas_per_socket == 0) return false;
  const int min_sockets = (min_affinity_size + numas_per_socket - 1) / numas_per_socket;
  const CpuSet cpus = topo.CpusInNumas(NumasOfMask(ids, mask));
  return static_cast<int>(topo.SocketsOf(cpus).size()) == min_sockets;
}

}  // namespace

std::vector<TopologyHint> GenerateCpuTopologyHints(const CpuTopology& topo, const NumaIdMap& ids,
                                                   const StaticPolicyOptions& options,
                                                   const CpuSet& available, const CpuSet& reusable,
                                                   int request) {
  // NUMA nodes hold disjoint CPU sets, so per-mask counts are sums of per-node counts; this keeps
  // the 2^n mask walk cheap on machines with many nodes.
  std::vector<int> positions;
  std::vector<std::size_t> capacity_at(64, 0), available_at(64, 0);
  for (int numa : topo.NumaIds()) {
    const int position = ids.PositionOf(numa);
    if (position < 0) continue;
    positions.push_back(position);
    capacity_at[position] = topo.CpusInNuma(numa).size();
    available_at[position] = available.IntersectionSize(topo.CpusInNuma(numa));
  }

  // Nodes every mask must contain because reusable CPUs sit there; a reusable CPU outside the
  // machine's nodes rules out every mask, as in the kubelet.
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
    // Preference is judged on capacity (all CPUs, reserved included), not on what is free.
    if (capacity >= static_cast<std::size_t>(request) && mask.Count() < min_affinity_size) {
      min_affinity_size = mask.Count();
    }
    if (reusable_outside || !reusable_nodes.IsSubsetOf(mask)) return true;
    if (reusable.size() + free < static_cast<std::size_t>(request)) return true;
    hints.push_back({mask, false});
    return true;
  });

  for (TopologyHint& hint : hints) {
    if (options.align_by_socket &&
        IsHintSocketAligned(topo, ids, *hint.affinity, min_affinity_size)) {
      hint.preferred = true;
      continue;
    }
    if (hint.affinity->Count() == min_affinity_size) hint.preferred = true;
  }
  return hints;
}

}  // namespace numalign::numa
