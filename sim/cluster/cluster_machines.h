#pragma once

#include <vector>

#include "numa/topology/machine.h"
#include "sim/model/cluster_spec.h"

namespace numalign::sim {

// Every node's hardware from its hwloc XML (each distinct file is loaded once). Throws
// std::runtime_error naming the node and file when one cannot be loaded.
std::vector<numa::Machine> LoadClusterMachines(const ClusterSpec& cluster);

}  // namespace numalign::sim
