#pragma once

#include <string>

#include "numa/admission/node_admitter.h"
#include "sim/placement/kubelet_fleet.h"
#include "sim/scheduler/nrt_match.h"

namespace numalign::sim {

// What an NRT exporter (RTE, NFD topology-updater, numalign-agent) publishes for a node right
// now: per NUMA zone the available CPUs, memory and huge pages (allocatable minus exclusive
// allocations, agent/allocation's snapshot of the kubelet's state), the costs, the Topology
// Manager policy and scope, and the pods it saw (the fingerprint's input).
NrtData ExportNrt(const KubeletFleet& fleet, const std::string& node);

}  // namespace numalign::sim
