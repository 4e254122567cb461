#pragma once

#include <utility>
#include <vector>

#include "numa/cpumanager/cpu_topology.h"
#include "numa/cpumanager/cpuset.h"

namespace numalign::numa {

// How single CPUs are ordered once whole units are taken: "packed" fills the fullest core first
// (the default); "spread" (distribute-cpus-across-cores) walks sockets CPU id by CPU id, which
// usually gives one thread per core first, and never takes whole cores.
enum class CpuSortingStrategy { kPacked, kSpread };

// The kubelet's cpuAccumulator: the CPUs still free for this request, what was taken so far and
// how many are still needed. Every ordering below reproduces the kubelet's, including its quirks:
//  - units are sorted by ascending number of free CPUs, ties by ascending id ("packing": fill the
//    fullest unit first);
//  - the order is hierarchical (NUMA node > socket > core, or socket > NUMA node > core when
//    sockets are the larger unit), and a unit that spans two parents is listed under each parent,
//    so lists may repeat ids - the kubelet then counts a repeated take twice, and so do we;
//  - candidate lists are computed once per step, not after every take.
class CpuAccumulator {
 public:
  CpuAccumulator(const CpuTopology& topo, const CpuSet& available, int needed,
                 CpuSortingStrategy strategy);

  const CpuSet& Free() const { return free_; }
  const CpuSet& Result() const { return result_; }
  int Needed() const { return needed_; }
  bool NeedsAtLeast(int n) const { return needed_ >= n; }
  bool IsSatisfied() const { return needed_ < 1; }
  bool IsFailed() const { return needed_ > static_cast<int>(free_.size()); }

  void Take(const CpuSet& cpus);

  // Units holding free CPUs, in the kubelet's hierarchical sort order.
  std::vector<int> SortedNumaNodes() const;
  std::vector<int> SortedSockets() const;
  std::vector<int> SortedCores() const;
  std::vector<int> SortedCpus() const;  // by the sorting strategy

  // Steps of the packed algorithm; each takes whole free units while at least a unit is needed.
  void TakeFullFirstLevel();
  void TakeFullSecondLevel();
  void TakeFullNumaNodes();
  void TakeFullSockets();
  void TakeFullCores();
  void TakeRemainingCpus();

  // The kubelet's rangeNUMANodesNeededToSatisfy: the smallest and largest number of NUMA nodes
  // worth trying when handing out CPUs in groups of `group_size`.
  std::pair<int, int> RangeNumaNodesNeeded(int group_size) const;

  const CpuTopology& Topology() const { return *topo_; }

 private:
  // Sorts ids by ascending number of free CPUs in unit(id), ties by ascending id.
  template <typename CpusOf>
  void SortByFreeCpus(std::vector<int>& ids, CpusOf cpus_of) const;

  const CpuTopology* topo_;
  CpuSet free_;
  CpuSet result_;
  int needed_;
  CpuSortingStrategy strategy_;
};

}  // namespace numalign::numa
