#include "agent/podresources/kubelet_snapshot.h"

#include <algorithm>
#include <map>
#include <set>

namespace numalign::agent::podresources {

namespace {

std::string JoinIds(const std::vector<int>& ids) {
  std::string out;
  for (int id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

// Indexes the machine and checks every id the kubelet sends against it.
class MachineIndex {
 public:
  explicit MachineIndex(const numa::Machine& machine) : machine_(machine) {
    for (const auto& cpu : machine.cpus) cpu_node_[cpu.id] = cpu.numa_node;
  }

  int NodeOfCpu(std::int64_t cpu, const std::string& where) const {
    auto it = cpu_id_fits(cpu) ? cpu_node_.find(static_cast<int>(cpu)) : cpu_node_.end();
    if (it == cpu_node_.end()) {
      throw PodResourcesDataError(where + ": CPU " + std::to_string(cpu) +
                                  " is not a CPU of this machine");
    }
    return it->second;
  }

  int CheckNode(std::int64_t node, const std::string& where) const {
    if (node < 0 || node > 1 << 20 || !machine_.node(static_cast<int>(node))) {
      throw PodResourcesDataError(
          where + ": NUMA node " + std::to_string(node) +
          " is not a NUMA node of this machine (nodes: " + JoinIds(machine_.node_ids()) + ")");
    }
    return static_cast<int>(node);
  }

 private:
  static bool cpu_id_fits(std::int64_t cpu) { return cpu >= 0 && cpu <= 1 << 24; }
  const numa::Machine& machine_;
  std::map<int, int> cpu_node_;
};

std::int64_t ToInt64(std::uint64_t bytes) {
  return static_cast<std::int64_t>(std::min<std::uint64_t>(bytes, INT64_MAX));
}

// The zones with capacity from the machine and allocatable = capacity; the kubelet's
// allocatable report then overrides what it covers.
std::map<int, NumaZoneState> MachineZones(const numa::Machine& machine) {
  std::map<int, NumaZoneState> zones;
  for (const auto& node : machine.numa_nodes) {
    NumaZoneState& zone = zones[node.id];
    zone.numa_id = node.id;
    zone.cpus = node.cpus;
    const auto cpus = static_cast<std::int64_t>(node.cpus.size());
    zone.resources["cpu"] = {cpus, cpus, cpus};
    const std::int64_t memory = ToInt64(node.memory);
    zone.resources["memory"] = {memory, memory, memory};
    for (const auto& [page_size, pool] : node.hugepages) {
      const std::int64_t bytes = ToInt64(pool);
      zone.resources[numa::HugepageResourceName(page_size)] = {bytes, bytes, bytes};
    }
    if (auto it = machine.distances.find(node.id); it != machine.distances.end()) {
      zone.distances = it->second;
    }
  }
  return zones;
}

NumaResourceAmount& ResourceOf(std::map<int, NumaZoneState>& zones, int node,
                               const std::string& type, const std::string& where) {
  auto& resources = zones.at(node).resources;
  auto it = resources.find(type);
  if (it == resources.end()) {
    throw PodResourcesDataError(where + ": NUMA node " + std::to_string(node) +
                                " has no resource \"" + type + "\"");
  }
  return it->second;
}

void ApplyAllocatable(const AllocatableResources& allocatable, const MachineIndex& index,
                      std::map<int, NumaZoneState>& zones) {
  if (!allocatable.cpu_ids.empty()) {
    std::map<int, std::int64_t> per_node;
    for (auto cpu : allocatable.cpu_ids) ++per_node[index.NodeOfCpu(cpu, "allocatable CPUs")];
    for (auto& [id, zone] : zones) {
      auto& amount = zone.resources["cpu"];
      amount.allocatable = amount.available = per_node[id];
    }
  }
  for (const auto& block : allocatable.memory) {
    const std::string where = "allocatable " + block.type;
    if (block.numa_nodes.size() != 1) {
      throw PodResourcesDataError(where + ": expected exactly one NUMA node, got " +
                                  std::to_string(block.numa_nodes.size()));
    }
    const int node = index.CheckNode(block.numa_nodes[0], where);
    auto& amount = ResourceOf(zones, node, block.type, where);
    amount.allocatable = amount.available = ToInt64(block.size);
  }
}

// Charges one pinned block and returns its NUMA nodes (ascending).
std::vector<int> ChargeBlock(const MemoryBlock& block, const MachineIndex& index,
                             std::map<int, NumaZoneState>& zones, const std::string& where) {
  if (block.numa_nodes.empty()) {
    throw PodResourcesDataError(where + ": the " + block.type + " block names no NUMA node");
  }
  std::set<int> nodes;
  for (auto n : block.numa_nodes) nodes.insert(index.CheckNode(n, where));
  std::int64_t left = ToInt64(block.size);
  for (int node : nodes) {
    auto& amount = ResourceOf(zones, node, block.type, where);
    const std::int64_t take = std::min(left, std::max<std::int64_t>(amount.available, 0));
    amount.available -= take;
    left -= take;
  }
  // More pinned than allocatable (kubelet data racing a reconfiguration): charge the rest to
  // the first node; available is clamped at 0 below rather than rejecting the whole report.
  if (left > 0) ResourceOf(zones, *nodes.begin(), block.type, where).available -= left;
  return {nodes.begin(), nodes.end()};
}

}  // namespace

NodeStateSnapshot BuildKubeletSnapshot(const numa::Machine& machine,
                                       const KubeletModeConfig& config,
                                       const AllocatableResources& allocatable,
                                       const std::vector<PodAssignment>& pods) {
  const MachineIndex index(machine);
  std::map<int, NumaZoneState> zones = MachineZones(machine);
  ApplyAllocatable(allocatable, index, zones);

  NodeStateSnapshot snapshot;
  snapshot.node_name = config.node_name;
  snapshot.topology_manager_policy = config.topology_manager_policy;
  snapshot.topology_manager_scope = config.topology_manager_scope;
  snapshot.topology_manager_max_numa_nodes = config.topology_manager_max_numa_nodes;
  snapshot.cpu_manager_policy = config.cpu_manager_policy;
  snapshot.memory_manager_policy = config.memory_manager_policy;
  snapshot.pinning_mode = "kubelet";

  std::set<int> exclusive_cpus;
  std::map<std::vector<int>, int> group_assignments;
  std::uint64_t sequence = 0;
  for (const auto& pod : pods) {
    AdmittedPodState state;
    state.namespace_name = pod.namespace_name;
    state.name = pod.name;
    state.admission_sequence = ++sequence;
    std::set<int> pod_nodes;
    for (const auto& container : pod.containers) {
      const std::string where =
          "pod " + pod.namespace_name + "/" + pod.name + " container " + container.name;
      if (!container.cpu_ids.empty()) {
        auto& cpus = state.exclusive_cpus[container.name];
        for (auto cpu : container.cpu_ids) {
          const int node = index.NodeOfCpu(cpu, where);
          const int id = static_cast<int>(cpu);
          if (!exclusive_cpus.insert(id).second) {
            throw PodResourcesDataError(where + ": CPU " + std::to_string(id) +
                                        " is already exclusive to another container");
          }
          cpus.push_back(id);
          pod_nodes.insert(node);
          zones.at(node).resources["cpu"].available -= 1;
        }
        std::sort(cpus.begin(), cpus.end());
      }
      for (const auto& block : container.memory) {
        std::vector<int> nodes = ChargeBlock(block, index, zones, where);
        pod_nodes.insert(nodes.begin(), nodes.end());
        if (nodes.size() > 1) ++group_assignments[nodes];
        state.memory_numa[container.name][block.type] = std::move(nodes);
      }
    }
    state.numa_ids.assign(pod_nodes.begin(), pod_nodes.end());
    snapshot.pods.push_back(std::move(state));
  }

  for (auto& [id, zone] : zones) {
    for (auto& [name, amount] : zone.resources)
      amount.available = std::max<std::int64_t>(amount.available, 0);
    snapshot.zones.push_back(std::move(zone));
  }
  for (const auto& [nodes, count] : group_assignments) {
    snapshot.memory_groups.push_back({nodes, count});
  }

  std::set<int> allocatable_cpus;
  for (auto cpu : allocatable.cpu_ids) allocatable_cpus.insert(static_cast<int>(cpu));
  for (const auto& cpu : machine.cpus) {
    if (!exclusive_cpus.contains(cpu.id)) snapshot.shared_pool_cpus.push_back(cpu.id);
    if (!allocatable_cpus.empty() && !allocatable_cpus.contains(cpu.id)) {
      snapshot.reserved_cpus.push_back(cpu.id);
    }
  }
  return snapshot;
}

}  // namespace numalign::agent::podresources
