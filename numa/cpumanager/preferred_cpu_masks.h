#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include "numa/cpumanager/cpu_topology.h"
#include "numa/cpumanager/cpuset.h"
#include "numa/topology/numa_id_map.h"
#include "numa/topologymanager/bitmask.h"

namespace numalign::numa {

// The preferred hints GenerateCpuTopologyHints would return, without building its list of every
// NUMA mask, for the case where nothing is reusable and align-by-socket is off: then the
// preferred hints are exactly the masks of size() CPU-holding nodes whose available CPUs cover
// the request (size() = the fewest nodes whose capacity could hold it). The admission fast path
// merges these with the memory manager's, and falls back to the full lists when that fails.
class PreferredCpuMasks {
 public:
  // nullopt when no set of nodes has the capacity (the list then has no preferred hint).
  static std::optional<PreferredCpuMasks> Find(const CpuTopology& topo, const NumaIdMap& ids,
                                               const CpuSet& available, int request);

  int size() const { return size_; }
  NumaMask universe() const { return universe_; }  // the nodes that hold CPUs
  // True when `mask` (of size() nodes of universe()) is a preferred hint.
  bool Offers(NumaMask mask) const;

 private:
  int size_ = 0;
  NumaMask universe_;
  std::size_t wanted_ = 0;
  std::array<std::size_t, 64> free_by_position_{};
};

}  // namespace numalign::numa
