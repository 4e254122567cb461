#include "extender/view/nrt_node_model.h"

#include <algorithm>
#include <string_view>

namespace numalign::extender {
namespace {

std::int64_t Units(const numa::Quantity& q) {
  return q.IsNegative() ? 0 : q.ValueCeil();
}

// The deprecated v1alpha1-style policy list still carries the policy for older producers.
std::string PolicyFromLegacyList(const std::vector<std::string>& policies) {
  for (const auto& p : policies) {
    if (p.starts_with("SingleNUMANode")) return "single-numa-node";
    if (p.starts_with("Restricted")) return "restricted";
    if (p.starts_with("BestEffort")) return "best-effort";
  }
  return "none";
}

std::string ScopeFromLegacyList(const std::vector<std::string>& policies) {
  for (const auto& p : policies) {
    if (p.ends_with("PodLevel")) return "pod";
  }
  return "container";
}

}  // namespace

bool IsMarkedStale(const kube::NodeResourceTopology& nrt, std::string* reason) {
  if (nrt.Attribute(kStaleAttribute).value_or("") != "true") return false;
  if (reason) *reason = nrt.Attribute(kStaleReasonAttribute).value_or("no reason given");
  return true;
}

bool IsNumalignPublished(const kube::NodeResourceTopology& nrt) {
  return nrt.Attribute(kPinningModeAttribute).has_value();
}

std::optional<NrtNodeModel> BuildNodeModel(const kube::NodeResourceTopology& nrt,
                                           std::string* error) {
  if (std::string reason; IsMarkedStale(nrt, &reason)) {
    *error = "the NRT is marked stale by the controller (" + reason + ")";
    return std::nullopt;
  }
  NrtNodeModel model;
  model.numalign_published = IsNumalignPublished(nrt);
  model.agent_mode = nrt.Attribute(kPinningModeAttribute).value_or("") == kAgentPinningMode;
  model.config.topology_manager_policy =
      nrt.Attribute("topologyManagerPolicy").value_or(PolicyFromLegacyList(nrt.topology_policies));
  model.config.topology_manager_scope =
      nrt.Attribute("topologyManagerScope").value_or(ScopeFromLegacyList(nrt.topology_policies));
  model.config.cpu_manager_policy = "static";
  model.config.eviction_hard = std::map<std::string, std::string>{};  // reservations say it all

  std::vector<const kube::NrtZone*> zones;
  for (const auto& z : nrt.zones) {
    if (z.NumaId()) zones.push_back(&z);
  }
  std::sort(zones.begin(), zones.end(),
            [](const auto* a, const auto* b) { return *a->NumaId() < *b->NumaId(); });
  if (zones.empty()) {
    *error = "the NRT has no node-<id> zone";
    return std::nullopt;
  }
  int next_cpu = 0;
  std::string reserved_cpus;
  std::map<std::string, numa::Quantity> reserved_totals;
  for (const auto* zone : zones) {
    numa::NumaNodeInfo node;
    node.id = *zone->NumaId();
    if (node.id < 0 || node.id > 63) {
      *error = "NUMA zone id out of range: " + zone->name;
      return std::nullopt;
    }
    numa::MemoryReservation reservation{node.id, {}};
    if (const auto* cpu = zone->FindResource("cpu")) {
      std::int64_t count = std::min<std::int64_t>(Units(cpu->capacity), 4096);
      std::int64_t reserved = std::clamp<std::int64_t>(count - Units(cpu->allocatable), 0, count);
      for (std::int64_t i = 0; i < count; ++i, ++next_cpu) {
        node.cpus.push_back(next_cpu);
        model.machine.cpus.push_back(numa::LogicalCpu{next_cpu, next_cpu, node.id, node.id});
        if (i < reserved) {
          if (!reserved_cpus.empty()) reserved_cpus += ",";
          reserved_cpus += std::to_string(next_cpu);
        }
      }
    }
    std::uint64_t hugepage_bytes = 0;
    for (const auto& r : zone->resources) {
      bool is_memory = r.name == "memory";
      bool is_hugepages = r.name.starts_with("hugepages-");
      if (!is_memory && !is_hugepages) continue;
      std::int64_t capacity = Units(r.capacity);
      if (is_hugepages) {
        std::string parse_error;
        auto size = numa::Quantity::Parse(std::string_view(r.name).substr(10), &parse_error);
        if (!size || Units(*size) <= 0) continue;
        node.hugepages[static_cast<std::uint64_t>(Units(*size))] = capacity;
        hugepage_bytes += capacity;
      } else {
        node.memory += capacity;
      }
      std::int64_t reserved = capacity - Units(r.allocatable);
      if (reserved > 0) {
        reservation.limits.emplace_back(r.name, numa::Quantity::FromInt(reserved));
        reserved_totals[r.name] = reserved_totals[r.name] + numa::Quantity::FromInt(reserved);
      }
    }
    // The NRT's `memory` excludes the hugepage pools; the machine's node memory includes them.
    node.memory += hugepage_bytes;
    if (!reservation.limits.empty()) model.config.reserved_memory.push_back(reservation);
    for (const auto& cost : zone->costs) {
      kube::NrtZone other;
      other.name = cost.name;
      other.type = "Node";
      if (auto to = other.NumaId()) model.machine.distances[node.id][*to] = cost.value;
    }
    model.machine.numa_nodes.push_back(std::move(node));
  }
  if (!reserved_cpus.empty()) model.config.reserved_system_cpus = reserved_cpus;
  // The memory manager's Static policy needs a non-zero `memory` reservation (kubelet start-up
  // rule); without one the node cannot pin memory, which the kubelet would then not do either.
  if (reserved_totals.count("memory")) {
    model.config.memory_manager_policy = "Static";
    model.config.system_reserved = reserved_totals;
  }
  if (model.machine.cpus.empty()) {
    *error = "the NRT zones publish no cpu capacity";
    return std::nullopt;
  }
  return model;
}

std::optional<numa::NodeAdmitter> CreateAdmitter(const NrtNodeModel& model, std::string* error) {
  return numa::NodeAdmitter::Create(model.machine, model.config, error);
}

}  // namespace numalign::extender
