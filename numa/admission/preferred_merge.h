#pragma once

#include <optional>

#include "numa/cpumanager/preferred_cpu_masks.h"
#include "numa/memorymanager/preferred_memory_masks.h"
#include "numa/topologymanager/topology_policy.h"

namespace numalign::numa {

// The Topology Manager's merge of the CPU and memory providers' hints for the usual container,
// decided from their preferred masks alone: when both prefer masks of one size and some mask is
// preferred by both, the merge picks the fittest of those, preferred - whatever the non-preferred
// hints are. That skips building and merging a list of every NUMA mask (255 on 8 nodes) per
// provider, which is most of an admission's cost. nullopt when the shortcut does not decide
// (sizes differ, no common mask, single-numa-node with multi-node masks, policy none): the caller
// merges the full lists.
std::optional<PolicyDecision> MergePreferredMasks(const TopologyPolicy& policy,
                                                  const PreferredCpuMasks& cpu,
                                                  const PreferredMemoryMasks& memory);

}  // namespace numalign::numa
