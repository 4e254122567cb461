#include "sim/placement/nrt_exporter.h"

#include "agent/allocation/node_snapshot.h"

namespace numalign::sim {

NrtData ExportNrt(const KubeletFleet& fleet, const std::string& node) {
  const numa::NodeAdmitter& admitter = fleet.admitter(node);
  agent::SnapshotInputs inputs{admitter, {}, 0, node, "kubelet", "", ""};
  const agent::NodeStateSnapshot snapshot = agent::BuildNodeSnapshot(inputs);
  NrtData out;
  out.policy = snapshot.topology_manager_policy;
  out.scope = snapshot.topology_manager_scope;
  out.max_numa_nodes = snapshot.topology_manager_max_numa_nodes;
  out.pods = fleet.pods(node);
  for (const auto& zone : snapshot.zones) {
    NrtZone z;
    z.id = zone.numa_id;
    z.costs = zone.distances;
    for (const auto& [resource, amount] : zone.resources) {
      z.available[resource] = resource == "cpu" ? amount.available * 1000 : amount.available;
    }
    out.zones.push_back(std::move(z));
  }
  return out;
}

}  // namespace numalign::sim
