#include "numa/cpumanager/cpu_hints.h"

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
  std::vector<int> positions;
  for (int numa : topo.NumaIds()) {
    const int position = ids.PositionOf(numa);
    if (position >= 0) positions.push_back(position);
  }

  // NUMA bit position of every reusable CPU.
  std::vector<int> reusable_positions;
  reusable.ForEach([&](int cpu) {
    const CpuPlacement* placement = topo.Placement(cpu);
    reusable_positions.push_back(placement ? ids.PositionOf(placement->numa) : -1);
  });

  int min_affinity_size = topo.NumNumaNodes();
  std::vector<TopologyHint> hints;
  IterateMasks(positions, [&](NumaMask mask) {
    const CpuSet cpus_in_mask = topo.CpusInNumas(NumasOfMask(ids, mask));
    if (static_cast<int>(cpus_in_mask.size()) >= request && mask.Count() < min_affinity_size) {
      min_affinity_size = mask.Count();
    }
    for (int position : reusable_positions) {
      if (position < 0 || !mask.Has(position)) return true;
    }
    const std::size_t matching = reusable.size() + available.IntersectionSize(cpus_in_mask);
    if (matching < static_cast<std::size_t>(request)) return true;
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
