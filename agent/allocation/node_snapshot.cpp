#include "agent/allocation/node_snapshot.h"

#include <algorithm>
#include <set>

#include "numa/topologymanager/policy_options.h"

namespace numalign::agent {
namespace {

std::int64_t Signed(std::uint64_t v) {
  // The Memory Manager's tables are unsigned and wrap like upstream on absurd reservations;
  // clamp so a published quantity is never a huge positive number.
  return v > static_cast<std::uint64_t>(INT64_MAX) ? 0 : static_cast<std::int64_t>(v);
}

void AddCpu(const numa::NodeAdmitter& admitter, const numa::NumaNodeInfo& node,
            NumaZoneState* zone) {
  NumaResourceAmount cpu;
  cpu.capacity = static_cast<std::int64_t>(node.cpus.size());
  if (const auto& policy = admitter.cpu_policy()) {
    const numa::CpuSet on_node = numa::CpuSet::Of(node.cpus);
    cpu.allocatable =
        cpu.capacity - static_cast<std::int64_t>(on_node.IntersectionSize(policy->Reserved()));
    cpu.available = static_cast<std::int64_t>(on_node.IntersectionSize(policy->AvailableCpus()));
  } else {
    cpu.allocatable = cpu.capacity;
    cpu.available = cpu.capacity;
  }
  zone->resources["cpu"] = cpu;
}

void AddMemory(const numa::NodeAdmitter& admitter, const numa::NumaNodeInfo& node,
               NumaZoneState* zone) {
  if (const auto& policy = admitter.memory_policy()) {
    const auto& state = policy->machine_state();
    for (const auto& n : state.nodes()) {
      if (n.id != node.id) continue;
      for (std::size_t r = 0; r < n.tables.size(); ++r) {
        const auto& t = n.tables[r];
        zone->resources[state.resources()[r]] =
            NumaResourceAmount{Signed(t.total), Signed(t.allocatable), Signed(t.free)};
      }
    }
    return;
  }
  // No Memory Manager: nothing is reserved or pinned per NUMA node; report the hardware.
  std::uint64_t pools = 0;
  for (const auto& [page, bytes] : node.hugepages) {
    pools += bytes;
    const auto amount = Signed(bytes);
    zone->resources[numa::HugepageResourceName(page)] = {amount, amount, amount};
  }
  const auto memory = Signed(node.memory >= pools ? node.memory - pools : 0);
  zone->resources["memory"] = {memory, memory, memory};
}

}  // namespace

NodeStateSnapshot BuildNodeSnapshot(const SnapshotInputs& in) {
  const numa::NodeAdmitter& admitter = in.admitter;
  NodeStateSnapshot s;
  s.node_name = in.node_name;
  s.generation = in.generation;
  s.pinning_mode = in.pinning_mode;
  s.cpu_manager_policy = admitter.cpu_policy() ? "static" : "none";
  s.memory_manager_policy = admitter.memory_policy() ? "Static" : "None";
  s.topology_manager_policy = numa::ToString(admitter.topology_policy().name());
  s.topology_manager_scope =
      admitter.scope() == numa::TopologyScopeName::kPod ? "pod" : "container";
  s.topology_manager_max_numa_nodes =
      std::max(8, static_cast<int>(admitter.machine().numa_nodes.size()));
  for (const auto& node : admitter.machine().numa_nodes) {
    NumaZoneState zone;
    zone.numa_id = node.id;
    zone.cpus = node.cpus;
    AddCpu(admitter, node, &zone);
    AddMemory(admitter, node, &zone);
    if (auto it = admitter.machine().distances.find(node.id);
        it != admitter.machine().distances.end()) {
      zone.distances = it->second;
    }
    s.zones.push_back(std::move(zone));
  }
  if (const auto& policy = admitter.memory_policy()) {
    const auto& state = policy->machine_state();
    std::set<std::vector<int>> seen;
    for (const auto& n : state.nodes()) {
      if (n.cells.Count() < 2) continue;
      auto ids = state.ids().IdsOf(n.cells);
      if (!seen.insert(ids).second) continue;
      s.memory_groups.push_back(MemoryGroupState{ids, n.number_of_assignments});
    }
  }
  if (const auto& cpu = admitter.cpu_policy()) {
    s.shared_pool_cpus = cpu->DefaultSet().ToVector();
    s.reserved_cpus = cpu->Reserved().ToVector();
  } else {
    for (const auto& c : admitter.machine().cpus) s.shared_pool_cpus.push_back(c.id);
  }
  for (const auto& r : in.records) {
    AdmittedPodState pod;
    pod.uid = r.uid;
    pod.namespace_name = r.namespace_name;
    pod.name = r.name;
    pod.admission_sequence = r.sequence;
    std::set<int> numa_ids;
    if (const auto& cpu = admitter.cpu_policy()) {
      if (auto it = cpu->Assignments().find(r.uid); it != cpu->Assignments().end()) {
        for (const auto& [container, set] : it->second) {
          pod.exclusive_cpus[container] = set.ToVector();
          for (int c : set.ToVector()) {
            for (const auto& l : admitter.machine().cpus) {
              if (l.id == c) numa_ids.insert(l.numa_node);
            }
          }
        }
      }
    }
    if (const auto& memory = admitter.memory_policy()) {
      if (auto it = memory->assignments().find(r.uid); it != memory->assignments().end()) {
        for (const auto& [container, blocks] : it->second) {
          for (const auto& b : blocks) {
            auto ids = admitter.numa_ids().IdsOf(b.affinity);
            numa_ids.insert(ids.begin(), ids.end());
            pod.memory_numa[container][b.type] = std::move(ids);
          }
        }
      }
    }
    pod.numa_ids.assign(numa_ids.begin(), numa_ids.end());
    s.pods.push_back(std::move(pod));
  }
  return s;
}

}  // namespace numalign::agent
