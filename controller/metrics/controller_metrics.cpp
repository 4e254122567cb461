#include "controller/metrics/controller_metrics.h"

#include <fmt/format.h>

namespace numalign::controller {

namespace {

// Label values are escaped as the exposition format requires (\\, \", \n).
std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void Header(std::string& out, const char* name, const char* type, const char* help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

void ControllerMetrics::CountRecovery(const std::string& reason, const std::string& outcome) {
  std::lock_guard lock(mu_);
  ++recoveries_[{reason, outcome}];
}

void ControllerMetrics::CountEviction(const std::string& outcome) {
  std::lock_guard lock(mu_);
  ++evictions_[outcome];
}

void ControllerMetrics::CountOrphanDeleted() {
  std::lock_guard lock(mu_);
  ++orphans_deleted_;
}

void ControllerMetrics::CountStaleTransition(bool marked) {
  std::lock_guard lock(mu_);
  ++(marked ? stale_marked_ : stale_cleared_);
}

void ControllerMetrics::CountDefragPlan(const std::string& result) {
  std::lock_guard lock(mu_);
  ++defrag_plans_[result];
}

void ControllerMetrics::ReplaceNodeGauges(std::vector<ZoneSample> zones,
                                          std::vector<NodeFragmentation> frag, int stale_nodes) {
  std::lock_guard lock(mu_);
  zones_ = std::move(zones);
  fragmentation_ = std::move(frag);
  stale_nodes_ = stale_nodes;
}

void ControllerMetrics::SetPendingNumaPods(int n) {
  std::lock_guard lock(mu_);
  pending_numa_pods_ = n;
}

std::uint64_t ControllerMetrics::recoveries(const std::string& reason,
                                            const std::string& outcome) const {
  std::lock_guard lock(mu_);
  auto it = recoveries_.find({reason, outcome});
  return it == recoveries_.end() ? 0 : it->second;
}

std::uint64_t ControllerMetrics::evictions(const std::string& outcome) const {
  std::lock_guard lock(mu_);
  auto it = evictions_.find(outcome);
  return it == evictions_.end() ? 0 : it->second;
}

std::string ControllerMetrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  Header(out, "numalign_controller_recoveries_total", "counter",
         "Failed NUMA pods handled, by failure reason and outcome (deleted, backoff, standalone).");
  for (const auto& [key, n] : recoveries_) {
    out += fmt::format("numalign_controller_recoveries_total{{reason=\"{}\",outcome=\"{}\"}} {}\n",
                       Escape(key.first), Escape(key.second), n);
  }
  Header(out, "numalign_controller_evictions_total", "counter",
         "Defragmentation evictions through the Eviction API, by outcome.");
  for (const auto& [outcome, n] : evictions_) {
    out += fmt::format("numalign_controller_evictions_total{{outcome=\"{}\"}} {}\n",
                       Escape(outcome), n);
  }
  Header(out, "numalign_controller_defragmentation_plans_total", "counter",
         "Defragmentation planning results for pending NUMA pods.");
  for (const auto& [result, n] : defrag_plans_) {
    out += fmt::format("numalign_controller_defragmentation_plans_total{{result=\"{}\"}} {}\n",
                       Escape(result), n);
  }
  Header(out, "numalign_controller_orphaned_nrts_deleted_total", "counter",
         "NodeResourceTopology objects deleted because their Node no longer exists.");
  out += fmt::format("numalign_controller_orphaned_nrts_deleted_total {}\n", orphans_deleted_);
  Header(out, "numalign_controller_stale_transitions_total", "counter",
         "Stale marks written (marked) and removed (cleared) on NodeResourceTopology objects.");
  out += fmt::format("numalign_controller_stale_transitions_total{{transition=\"marked\"}} {}\n",
                     stale_marked_);
  out += fmt::format("numalign_controller_stale_transitions_total{{transition=\"cleared\"}} {}\n",
                     stale_cleared_);
  Header(out, "numalign_controller_stale_nodes", "gauge", "Nodes whose NUMA data is marked stale.");
  out += fmt::format("numalign_controller_stale_nodes {}\n", stale_nodes_);
  Header(out, "numalign_controller_pending_numa_pods", "gauge",
         "Guaranteed pods of the NUMA scheduler that are unschedulable.");
  out += fmt::format("numalign_controller_pending_numa_pods {}\n", pending_numa_pods_);
  Header(out, "numalign_controller_numa_allocatable", "gauge",
         "Allocatable amount per node, NUMA zone and resource, from the NRT.");
  for (const auto& z : zones_) {
    out += fmt::format(
        "numalign_controller_numa_allocatable{{node=\"{}\",zone=\"{}\",resource=\"{}\"}} {}\n",
        Escape(z.node), Escape(z.zone), Escape(z.resource), z.allocatable);
  }
  Header(out, "numalign_controller_numa_used", "gauge",
         "Used amount (allocatable - available) per node, NUMA zone and resource, from the NRT.");
  for (const auto& z : zones_) {
    out +=
        fmt::format("numalign_controller_numa_used{{node=\"{}\",zone=\"{}\",resource=\"{}\"}} {}\n",
                    Escape(z.node), Escape(z.zone), Escape(z.resource), z.used);
  }
  Header(out, "numalign_controller_fragmentation_index", "gauge",
         "1 - largest single-NUMA free amount / total free amount of the node, per resource "
         "(0: all free capacity in one zone; near 1: scattered; 0 when nothing is free).");
  for (const auto& f : fragmentation_) {
    out +=
        fmt::format("numalign_controller_fragmentation_index{{node=\"{}\",resource=\"{}\"}} {}\n",
                    Escape(f.node), Escape(f.resource), f.index);
  }
  return out;
}

}  // namespace numalign::controller
