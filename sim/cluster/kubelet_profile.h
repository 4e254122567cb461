#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "numa/admission/kubelet_config.h"
#include "numa/topology/machine.h"

namespace numalign::sim {

// The KubeletConfiguration fields every simulated node starts from unless the cluster says
// otherwise: what a NUMA-sensitive node runs (static CPU manager with reservedSystemCPUs "0",
// Static memory manager, single-numa-node topology policy, container scope, kubeReserved memory
// 924Mi + the default 100Mi hard eviction threshold).
nlohmann::json DefaultKubeletJson();

// Completes a configuration for a machine the way an operator must before the kubelet starts:
// with the Static memory manager and no reservedMemory, the whole node-allocatable memory
// reservation is put on the lowest NUMA node that has memory (the kubelet refuses to start
// unless reservedMemory adds up to it). Then validates it with the kubelet's start-up rules;
// false with `error` when the kubelet would refuse to start.
bool CompleteKubeletConfig(const numa::Machine& machine, numa::KubeletNumaConfig* config,
                           std::string* error);

}  // namespace numalign::sim
