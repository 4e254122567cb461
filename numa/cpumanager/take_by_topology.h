#pragma once

#include <string>
#include <variant>

#include "numa/cpumanager/cpu_accumulator.h"
#include "numa/cpumanager/cpu_topology.h"
#include "numa/cpumanager/cpuset.h"
#include "numa/cpumanager/policy_options.h"

namespace numalign::numa {

// The CPUs picked, or the kubelet's error text when the request cannot be met.
struct TakeResult {
  CpuSet cpus;
  std::string error;  // empty on success
  bool ok() const { return error.empty(); }
};

// The kubelet's takeByTopologyNUMAPacked (default best fit): whole free first-level units (NUMA
// nodes or sockets, whichever is larger), then whole second-level units, then whole free cores
// (not under the spread strategy), then single CPUs, always filling the fullest unit first.
// The prefer-align-cpus-by-uncorecache step is not modelled: Machine carries no uncore caches.
TakeResult TakeByTopologyNumaPacked(const CpuTopology& topo, const CpuSet& available, int count,
                                    CpuSortingStrategy strategy);

// The kubelet's takeByTopologyNUMADistributed (distribute-cpus-across-numa, KEP-2902): spread the
// request evenly, in groups of `group_size` CPUs, over the smallest number of NUMA nodes that can
// hold it, choosing the nodes and the nodes that get the remainder by the lowest standard
// deviation of free CPUs per node afterwards. Falls back to packed when that is impossible.
TakeResult TakeByTopologyNumaDistributed(const CpuTopology& topo, const CpuSet& available,
                                         int count, int group_size, CpuSortingStrategy strategy);

// The static policy's takeByTopology: distributed when distribute-cpus-across-numa is set (in
// groups of whole cores only under full-pcpus-only), packed otherwise; spread sorting under
// distribute-cpus-across-cores.
TakeResult TakeByTopologyForOptions(const CpuTopology& topo, const StaticPolicyOptions& options,
                                    const CpuSet& available, int count);

}  // namespace numalign::numa
