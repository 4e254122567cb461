#include "numa/topology/hwloc_to_machine.h"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <vector>

namespace numalign::numa {
namespace {

bool Fail(std::string* error, const std::string& message) {
  if (error) *error = message;
  return false;
}

// The smallest page type is the base page (hwloc's Linux backend always records it first); every
// other recorded size is a hugetlb pool. A size threshold would be wrong: 64K is the base page on
// arm64/ppc64 64K kernels but a huge page size on arm64 4K kernels.
std::map<std::uint64_t, std::uint64_t> HugepagePools(const hwloc_obj_t numa) {
  std::map<std::uint64_t, std::uint64_t> pools;
  const auto& attr = numa->attr->numanode;
  if (attr.page_types_len == 0) return pools;
  std::uint64_t base = attr.page_types[0].size;
  for (unsigned i = 1; i < attr.page_types_len; ++i) base = std::min(base, attr.page_types[i].size);
  for (unsigned i = 0; i < attr.page_types_len; ++i) {
    const auto& type = attr.page_types[i];
    if (type.size != base) pools[type.size] = type.size * type.count;
  }
  return pools;
}

// Which NUMA node owns a PU, as sysfs would say. hwloc gives memory-only nodes (KNL MCDRAM,
// NVIDIA GPU memory, CPU-less nodes attached to their closest package) the cpuset of the object
// they hang from, so a PU can sit in several node cpusets. The owner is the most local node
// (smallest cpuset), then plain DRAM (no subtype, or "DRAM" as newer hwloc marks it) over
// memory-only kinds ("MCDRAM", "GPUMemory", "HBM", "NVM", "CXL-DRAM", ...), then the lowest OS
// index.
bool IsSpecialMemory(hwloc_obj_t numa) {
  return numa->subtype != nullptr && std::string_view(numa->subtype) != "DRAM";
}

hwloc_obj_t OwnerOfPu(const std::vector<hwloc_obj_t>& numa_nodes, unsigned pu) {
  hwloc_obj_t best = nullptr;
  auto key = [](hwloc_obj_t n) {
    return std::make_tuple(hwloc_bitmap_weight(n->cpuset), IsSpecialMemory(n), n->os_index);
  };
  for (hwloc_obj_t n : numa_nodes) {
    if (!n->cpuset || !hwloc_bitmap_isset(n->cpuset, pu)) continue;
    if (!best || key(n) < key(best)) best = n;
  }
  return best;
}

// cAdvisor's core id is sysfs core_id, which hwloc stores as the Core's OS index. Without one
// (some XML exports), fall back to the lowest PU of the core, as the kubelet does for its own
// unique core ids. A PU with no Core above it is its own core.
int CoreIdOf(hwloc_topology_t topology, hwloc_obj_t pu) {
  hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(topology, HWLOC_OBJ_CORE, pu);
  if (!core) return static_cast<int>(pu->os_index);
  if (core->os_index != HWLOC_UNKNOWN_INDEX) return static_cast<int>(core->os_index);
  return hwloc_bitmap_first(core->cpuset);
}

int SocketIdOf(hwloc_topology_t topology, hwloc_obj_t pu) {
  hwloc_obj_t package = hwloc_get_ancestor_obj_by_type(topology, HWLOC_OBJ_PACKAGE, pu);
  if (!package) return 0;
  if (package->os_index != HWLOC_UNKNOWN_INDEX) return static_cast<int>(package->os_index);
  return static_cast<int>(package->logical_index);
}

bool ReadDistances(hwloc_topology_t topology, Machine& machine, const std::string& source,
                   std::string* error) {
  unsigned count = 0;
  const unsigned long kind = HWLOC_DISTANCES_KIND_MEANS_LATENCY;
  if (hwloc_distances_get_by_type(topology, HWLOC_OBJ_NUMANODE, &count, nullptr, kind, 0) != 0) {
    return Fail(error, source + ": hwloc could not list NUMA distance matrices");
  }
  if (count == 0) return true;
  std::vector<hwloc_distances_s*> matrices(count, nullptr);
  if (hwloc_distances_get_by_type(topology, HWLOC_OBJ_NUMANODE, &count, matrices.data(), kind, 0) !=
      0) {
    return Fail(error, source + ": hwloc could not read NUMA distance matrices");
  }
  matrices.resize(count);
  // Prefer the OS-provided "NUMALatency" matrix (SLIT); hwloc 1.x imports and v1-to-v2
  // conversions carry unnamed latency matrices, so otherwise take the first one.
  hwloc_distances_s* chosen = nullptr;
  for (auto* d : matrices) {
    const char* name = hwloc_distances_get_name(topology, d);
    if (name && std::string(name) == "NUMALatency") chosen = d;
  }
  if (!chosen && !matrices.empty()) chosen = matrices.front();
  bool ok = true;
  if (chosen) {
    const unsigned n = chosen->nbobjs;
    for (unsigned i = 0; i < n && ok; ++i) {
      for (unsigned j = 0; j < n; ++j) {
        // The matrix follows objs[] (hwloc's logical order), not OS order: map through os_index.
        const hwloc_obj_t from = chosen->objs[i];
        const hwloc_obj_t to = chosen->objs[j];
        if (!from || !to || from->os_index == HWLOC_UNKNOWN_INDEX ||
            to->os_index == HWLOC_UNKNOWN_INDEX) {
          ok = Fail(error, source + ": NUMA distance matrix refers to a node without OS index");
          break;
        }
        machine.distances[static_cast<int>(from->os_index)][static_cast<int>(to->os_index)] =
            static_cast<int>(chosen->values[i * n + j]);
      }
    }
  }
  for (auto* d : matrices) hwloc_distances_release(topology, d);
  if (!ok) machine.distances.clear();
  return ok;
}

}  // namespace

std::optional<Machine> MachineFromHwlocTopology(hwloc_topology_t topology,
                                                const std::string& source, std::string* error) {
  Machine machine;
  std::vector<hwloc_obj_t> numa_objs;
  for (hwloc_obj_t n = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_NUMANODE, nullptr); n;
       n = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_NUMANODE, n)) {
    if (n->os_index == HWLOC_UNKNOWN_INDEX) {
      Fail(error,
           source + ": NUMA node L#" + std::to_string(n->logical_index) + " has no OS index");
      return std::nullopt;
    }
    numa_objs.push_back(n);
    NumaNodeInfo info;
    info.id = static_cast<int>(n->os_index);
    info.memory = n->attr->numanode.local_memory;
    info.hugepages = HugepagePools(n);
    info.subtype = n->subtype ? n->subtype : "";
    machine.numa_nodes.push_back(std::move(info));
  }
  if (numa_objs.empty()) {
    Fail(error, source + ": hwloc reports no NUMA node");
    return std::nullopt;
  }
  std::sort(machine.numa_nodes.begin(), machine.numa_nodes.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  for (size_t i = 1; i < machine.numa_nodes.size(); ++i) {
    if (machine.numa_nodes[i].id == machine.numa_nodes[i - 1].id) {
      Fail(error,
           source + ": two NUMA nodes share OS index " + std::to_string(machine.numa_nodes[i].id));
      return std::nullopt;
    }
  }

  for (hwloc_obj_t pu = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_PU, nullptr); pu;
       pu = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_PU, pu)) {
    if (pu->os_index == HWLOC_UNKNOWN_INDEX) {
      Fail(error, source + ": PU L#" + std::to_string(pu->logical_index) + " has no OS index");
      return std::nullopt;
    }
    hwloc_obj_t owner = OwnerOfPu(numa_objs, pu->os_index);
    if (!owner) {
      Fail(error, source + ": PU P#" + std::to_string(pu->os_index) + " is in no NUMA node");
      return std::nullopt;
    }
    LogicalCpu cpu;
    cpu.id = static_cast<int>(pu->os_index);
    cpu.core = CoreIdOf(topology, pu);
    cpu.socket = SocketIdOf(topology, pu);
    cpu.numa_node = static_cast<int>(owner->os_index);
    machine.cpus.push_back(cpu);
  }
  std::sort(machine.cpus.begin(), machine.cpus.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  std::map<int, NumaNodeInfo*> node_by_id;
  for (auto& node : machine.numa_nodes) node_by_id[node.id] = &node;
  // cpus is ascending by id, so each node's list comes out ascending too.
  for (const auto& cpu : machine.cpus) node_by_id.at(cpu.numa_node)->cpus.push_back(cpu.id);

  if (!ReadDistances(topology, machine, source, error)) return std::nullopt;
  return machine;
}

}  // namespace numalign::numa
