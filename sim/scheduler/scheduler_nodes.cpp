#include "sim/scheduler/scheduler_nodes.h"

namespace numalign::sim {

std::vector<SchedulerModel::Node> SchedulerNodes(const ClusterSpec& cluster,
                                                 const std::vector<numa::Machine>& machines) {
  std::vector<SchedulerModel::Node> nodes;
  nodes.reserve(cluster.nodes.size());
  for (std::size_t i = 0; i < cluster.nodes.size(); ++i) {
    nodes.push_back(
        {cluster.nodes[i].name, NodeAllocatable(machines[i], cluster.nodes[i].kubelet)});
  }
  return nodes;
}

}  // namespace numalign::sim
