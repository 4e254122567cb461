#include "sim/cluster/cluster_machines.h"

#include <map>
#include <stdexcept>

#include "numa/topology/hwloc_loader.h"

namespace numalign::sim {

std::vector<numa::Machine> LoadClusterMachines(const ClusterSpec& cluster) {
  std::map<std::string, numa::Machine> loaded;
  std::vector<numa::Machine> machines;
  machines.reserve(cluster.nodes.size());
  for (const auto& node : cluster.nodes) {
    auto it = loaded.find(node.topology_path);
    if (it == loaded.end()) {
      std::string error;
      auto machine = numa::LoadMachineFromHwlocXml(node.topology_path, &error);
      if (!machine) {
        throw std::runtime_error("node " + node.name + ": cannot load topology " +
                                 node.topology_path + ": " + error);
      }
      it = loaded.emplace(node.topology_path, std::move(*machine)).first;
    }
    machines.push_back(it->second);
  }
  return machines;
}

}  // namespace numalign::sim
