#include "agent/publish/nrt_builder.h"

#include <set>

#include "kube/objects/node_resource_topology.h"
#include "numa/cpumanager/cpuset.h"
#include "numa/pod/quantity.h"

namespace numalign::agent::publish {

namespace {

std::string ZoneName(int numa_id) {
  return "node-" + std::to_string(numa_id);
}

kube::NrtResource MakeResource(const std::string& name, const NumaResourceAmount& amount) {
  // Negative amounts would be rejected by the API's quantity parsing on the consumer side in
  // surprising ways; a producer bug must show up as a clear error instead.
  if (amount.capacity < 0 || amount.allocatable < 0 || amount.available < 0) {
    throw NrtBuildError("resource " + name + " has a negative amount");
  }
  return {name, numa::Quantity::FromInt(amount.capacity),
          numa::Quantity::FromInt(amount.allocatable), numa::Quantity::FromInt(amount.available)};
}

kube::NrtZone MakeZone(const NumaZoneState& state) {
  kube::NrtZone zone;
  zone.name = ZoneName(state.numa_id);
  zone.type = "Node";
  zone.attributes.push_back(
      {std::string(kube::kZoneCpusAttribute), numa::CpuSet::Of(state.cpus).ToString()});
  for (const auto& [other, distance] : state.distances) {
    zone.costs.push_back({ZoneName(other), distance});
  }
  // cpu and memory first (what readers look at), then every other resource in name order.
  for (const char* first : {"cpu", "memory"}) {
    if (auto it = state.resources.find(first); it != state.resources.end()) {
      zone.resources.push_back(MakeResource(it->first, it->second));
    }
  }
  for (const auto& [name, amount] : state.resources) {
    if (name == "cpu" || name == "memory") continue;
    zone.resources.push_back(MakeResource(name, amount));
  }
  return zone;
}

void CheckZones(const NodeStateSnapshot& snapshot) {
  std::set<int> seen;
  for (const auto& zone : snapshot.zones) {
    if (zone.numa_id < 0) {
      throw NrtBuildError("NUMA node id " + std::to_string(zone.numa_id) + " is negative");
    }
    if (!seen.insert(zone.numa_id).second) {
      throw NrtBuildError("NUMA node " + std::to_string(zone.numa_id) + " appears twice");
    }
  }
}

}  // namespace

std::string LegacyTopologyPolicy(std::string_view policy, std::string_view scope) {
  const bool pod_scope = scope == "pod";
  if (policy == "none") return "None";
  if (policy == "best-effort") return pod_scope ? "BestEffortPodLevel" : "BestEffortContainerLevel";
  if (policy == "restricted") return pod_scope ? "RestrictedPodLevel" : "RestrictedContainerLevel";
  if (policy == "single-numa-node") {
    return pod_scope ? "SingleNUMANodePodLevel" : "SingleNUMANodeContainerLevel";
  }
  return "";
}

std::string FormatMemoryGroups(const std::vector<MemoryGroupState>& groups) {
  std::string out;
  for (const auto& group : groups) {
    if (group.numa_ids.size() < 2) continue;  // single nodes are not groups
    if (!out.empty()) out += ';';
    for (size_t i = 0; i < group.numa_ids.size(); ++i) {
      if (i > 0) out += ',';
      out += std::to_string(group.numa_ids[i]);
    }
    out += '=' + std::to_string(group.number_of_assignments);
  }
  return out;
}

nlohmann::json BuildNodeResourceTopology(const NodeStateSnapshot& snapshot,
                                         const NrtBuildOptions& options) {
  if (snapshot.node_name.empty()) throw NrtBuildError("the snapshot names no node");
  CheckZones(snapshot);

  kube::NodeResourceTopologyBuilder builder(snapshot.node_name);
  if (!options.node_uid.empty()) builder.OwnedByNode(snapshot.node_name, options.node_uid);

  const std::string policy =
      snapshot.topology_manager_policy.empty() ? "none" : snapshot.topology_manager_policy;
  const std::string scope =
      snapshot.topology_manager_scope.empty() ? "container" : snapshot.topology_manager_scope;
  if (std::string legacy = LegacyTopologyPolicy(policy, scope); !legacy.empty()) {
    builder.TopologyPolicy(legacy);
  }

  builder.Attribute("topologyManagerPolicy", policy)
      .Attribute("topologyManagerScope", scope)
      .Attribute("topologyManagerMaxNUMANodes",
                 std::to_string(snapshot.topology_manager_max_numa_nodes))
      .Attribute(std::string(kube::kPodFingerprintAttribute),
                 FingerprintPods(snapshot.pods, options.fingerprint_method))
      .Attribute(std::string(kube::kPodFingerprintMethodAttribute),
                 std::string(kube::FingerprintMethodName(options.fingerprint_method)))
      .Attribute(std::string(kube::kMemoryGroupsAttribute),
                 FormatMemoryGroups(snapshot.memory_groups))
      .Attribute(std::string(kube::kPinningModeAttribute), snapshot.pinning_mode)
      .Attribute(std::string(kube::kCpuManagerPolicyAttribute), snapshot.cpu_manager_policy)
      .Attribute(std::string(kube::kMemoryManagerPolicyAttribute), snapshot.memory_manager_policy)
      .Attribute(std::string(kube::kStateGenerationAttribute), std::to_string(snapshot.generation));
  if (options.heartbeat)
    builder.Attribute(std::string(kube::kHeartbeatAttribute), *options.heartbeat);

  for (const auto& zone : snapshot.zones) builder.Zone(MakeZone(zone));
  return builder.Build();
}

}  // namespace numalign::agent::publish
