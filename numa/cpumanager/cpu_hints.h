#pragma once

#include <vector>

#include "numa/cpumanager/cpu_topology.h"
#include "numa/cpumanager/cpuset.h"
#include "numa/cpumanager/policy_options.h"
#include "numa/topology/numa_id_map.h"
#include "numa/topologymanager/hint.h"

namespace numalign::numa {

// The kubelet's generateCPUTopologyHints. Every set of NUMA nodes that hold CPUs is a hint when
// its available CPUs plus the reusable ones cover the request, and when it contains the NUMA node
// of every reusable CPU (reusable CPUs force their nodes into the mask). A hint is preferred when
// it has the fewest nodes whose CPUs - all of them, reserved and busy included, i.e. capacity -
// could cover the request; under align-by-socket a hint spanning the minimal number of sockets is
// preferred too. May return an empty list (the request cannot be met).
std::vector<TopologyHint> GenerateCpuTopologyHints(const CpuTopology& topo, const NumaIdMap& ids,
                                                   const StaticPolicyOptions& options,
                                                   const CpuSet& available, const CpuSet& reusable,
                                                   int request);

}  // namespace numalign::numa
