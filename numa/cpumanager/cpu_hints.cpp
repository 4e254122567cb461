#include "numa/cpumanager/cpu_hints.h"

#include <array>
#include <bit>
#include <cstdint>
#include <memory>

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

constexpr int kMaxPositions = 64;  // NumaMask is 64 bits wide

// Up to this many nodes the walk runs on per-subset tables (2^n entries) instead of summing each
// mask's nodes: 16 nodes is 65536 masks, the most the kubelet can be configured to walk in time.
constexpr int kMaxTableNodes = 16;

// The kubelet's IterateBitMasks order over dense indices 0..n-1, with where each size ends.
// It depends only on n, so it is built once per thread and n.
struct WalkOrder {
  std::vector<std::uint32_t> dense;      // subsets of {0..n-1} in walk order
  std::vector<std::size_t> end_of_size;  // end_of_size[k]: one past the last subset of size k
};

const WalkOrder& WalkOrderFor(int n) {
  thread_local std::array<std::unique_ptr<WalkOrder>, kMaxTableNodes + 1> cache;
  std::unique_ptr<WalkOrder>& slot = cache[n];
  if (!slot) {
    slot = std::make_unique<WalkOrder>();
    std::vector<int> dense_positions(n);
    for (int i = 0; i < n; ++i) dense_positions[i] = i;
    slot->dense.reserve((std::size_t{1} << n) - 1);
    slot->end_of_size.assign(n + 1, 0);
    IterateMasks(dense_positions, [&](NumaMask mask) {
      slot->dense.push_back(static_cast<std::uint32_t>(mask.value()));
      slot->end_of_size[mask.Count()] = slot->dense.size();
      return true;
    });
  }
  return *slot;
}

// Per-subset sums, indexed by dense subset; scratch reused across calls.
struct SubsetSums {
  std::uint64_t bits;    // the subset as a NumaMask value
  std::size_t capacity;  // all CPUs of its nodes
  std::size_t free;      // available CPUs of its nodes
};

}  // namespace

std::vector<TopologyHint> GenerateCpuTopologyHints(const CpuTopology& topo, const NumaIdMap& ids,
                                                   const StaticPolicyOptions& options,
                                                   const CpuSet& available, const CpuSet& reusable,
                                                   int request) {
  // This runs once per container per candidate node in the scheduler extender, so it allocates
  // nothing but the result: per-node figures live in fixed arrays indexed like the mask walk.
  // NUMA nodes hold disjoint CPU sets, so per-mask counts are sums of per-node counts.
  std::array<int, kMaxPositions> positions;  // bit position of the i-th node in walk order
  std::array<std::size_t, kMaxPositions> capacity_of;  // all CPUs of the i-th node
  std::array<std::size_t, kMaxPositions> free_of;      // available CPUs of the i-th node
  int n = 0;
  for (int numa : topo.NumaIds()) {
    const int position = ids.PositionOf(numa);
    if (position < 0 || n == kMaxPositions) continue;
    positions[n] = position;
    const CpuSet& cpus = topo.CpusInNuma(numa);
    capacity_of[n] = cpus.size();
    free_of[n] = available.IntersectionSize(cpus);
    ++n;
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
  const std::size_t reusable_count = reusable.size();  // loop-invariant
  const auto wanted = static_cast<std::size_t>(request);

  int min_affinity_size = topo.NumNumaNodes();
  std::vector<TopologyHint> hints;
  if (!reusable_outside) hints.reserve(n < 12 ? (std::size_t{1} << n) - 1 : 4096);
  // Masks are visited in the kubelet's IterateBitMasks order (see IterateMasks in bitmask.h):
  // sizes 1..n, and within a size the index combinations in lexicographic order; the hints keep
  // that order.
  if (n <= kMaxTableNodes) {
    // Each subset's sums come from the subset without its lowest node, so a mask costs a table
    // read instead of a loop over its nodes.
    const WalkOrder& order = WalkOrderFor(n);
    thread_local std::vector<SubsetSums> sums;
    const std::size_t size = std::size_t{1} << n;
    if (sums.size() < size) sums.resize(size);
    sums[0] = {0, 0, 0};
    for (std::uint32_t d = 1; d < size; ++d) {
      const int low = std::countr_zero(d);
      const SubsetSums& rest = sums[d & (d - 1)];
      sums[d] = {rest.bits | std::uint64_t{1} << positions[low], rest.capacity + capacity_of[low],
                 rest.free + free_of[low]};
    }
    std::size_t begin = 0;
    for (int k = 1; k <= n; ++k) {
      const std::size_t end = order.end_of_size[k];
      for (std::size_t i = begin; i < end; ++i) {
        const SubsetSums& sum = sums[order.dense[i]];
        if (sum.capacity >= wanted && k < min_affinity_size) min_affinity_size = k;
        const NumaMask mask(sum.bits);
        if (!reusable_outside && reusable_nodes.IsSubsetOf(mask) &&
            reusable_count + sum.free >= wanted) {
          hints.push_back({mask, false});
        }
      }
      begin = end;
    }
  } else {
    // Too many subsets for tables: the walk itself, with a fixed index array.
    std::array<int, kMaxPositions> idx;
    for (int k = 1; k <= n; ++k) {
      for (int i = 0; i < k; ++i) idx[i] = i;
      while (true) {
        std::uint64_t bits = 0;
        std::size_t capacity = 0;
        std::size_t free = 0;
        for (int i = 0; i < k; ++i) {
          const int j = idx[i];
          bits |= std::uint64_t{1} << positions[j];
          capacity += capacity_of[j];
          free += free_of[j];
        }
        // Preference is judged on capacity (all CPUs, reserved included), not on what is free.
        // Positions are distinct, so the mask has k nodes.
        if (capacity >= wanted && k < min_affinity_size) min_affinity_size = k;
        const NumaMask mask(bits);
        if (!reusable_outside && reusable_nodes.IsSubsetOf(mask) &&
            reusable_count + free >= wanted) {
          hints.push_back({mask, false});
        }
        int i = k - 1;
        while (i >= 0 && idx[i] == n - k + i) --i;
        if (i < 0) break;
        ++idx[i];
        for (int j = i + 1; j < k; ++j) idx[j] = idx[j - 1] + 1;
      }
    }
  }

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
