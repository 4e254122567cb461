#pragma once

#include <nlohmann/json.hpp>

#include "numa/topology/machine.h"
#include "sim/model/cluster_spec.h"
#include "sim/scheduler/resource_list.h"

namespace numalign::sim::process {

// The v1.Node a simulated node registers as: labels (kubernetes.io/hostname, the node's own),
// and the status the kubelet would report: capacity from the hardware (CPUs, memory, hugepage
// pools, 110 pods), allocatable = `allocatable` (the same figures the scheduler model uses), a
// Ready condition. `status` is written through the status subresource, as the kubelet does.
nlohmann::json NodeObject(const SimNodeSpec& node);
nlohmann::json NodeStatus(const numa::Machine& machine, const ResourceList& allocatable);

// A scheduler-side amount as an API quantity: "cpu" in millicores ("1500m", or "2" when whole),
// everything else as a plain integer.
std::string QuantityText(const std::string& resource, std::int64_t amount);

}  // namespace numalign::sim::process
