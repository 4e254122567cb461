#pragma once

#include <vector>

#include "numa/topology/machine.h"
#include "sim/model/cluster_spec.h"
#include "sim/scheduler/scheduler_model.h"

namespace numalign::sim {

// The scheduler's node list: every node with the allocatable its kubelet reports.
std::vector<SchedulerModel::Node> SchedulerNodes(const ClusterSpec& cluster,
                                                 const std::vector<numa::Machine>& machines);

}  // namespace numalign::sim
