#include "controller/metrics/controller_metrics.h"

#include "common/metrics/exposition.h"

namespace numalign::controller {

namespace {

using metrics::write_header;
using metrics::write_sample;

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

void ControllerMetrics::SetLeading(bool leading) {
  std::lock_guard lock(mu_);
  leading_ = leading;
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
  const char* name = "numalign_controller_leader";
  write_header(out, name, "1 while this replica holds the lease and reconciles, else 0.", "gauge");
  write_sample(out, name, {}, {}, {}, {}, leading_ ? 1 : 0);
  name = "numalign_controller_recoveries_total";
  write_header(out, name,
               "Failed NUMA pods handled, by failure reason and outcome (deleted, backoff, "
               "standalone).",
               "counter");
  for (const auto& [key, n] : recoveries_) {
    write_sample(out, name, {"reason", "outcome"}, {key.first, key.second}, {}, {},
                 static_cast<double>(n));
  }
  name = "numalign_controller_evictions_total";
  write_header(out, name, "Defragmentation evictions through the Eviction API, by outcome.",
               "counter");
  for (const auto& [outcome, n] : evictions_) {
    write_sample(out, name, {"outcome"}, {outcome}, {}, {}, static_cast<double>(n));
  }
  name = "numalign_controller_defragmentation_plans_total";
  write_header(out, name, "Defragmentation planning results for pending NUMA pods.", "counter");
  for (const auto& [result, n] : defrag_plans_) {
    write_sample(out, name, {"result"}, {result}, {}, {}, static_cast<double>(n));
  }
  name = "numalign_controller_orphaned_nrts_deleted_total";
  write_header(out, name,
               "NodeResourceTopology objects deleted because their Node no longer exists.",
               "counter");
  write_sample(out, name, {}, {}, {}, {}, static_cast<double>(orphans_deleted_));
  name = "numalign_controller_stale_transitions_total";
  write_header(out, name,
               "Stale marks written (marked) and removed (cleared) on NodeResourceTopology "
               "objects.",
               "counter");
  write_sample(out, name, {"transition"}, {"marked"}, {}, {}, static_cast<double>(stale_marked_));
  write_sample(out, name, {"transition"}, {"cleared"}, {}, {}, static_cast<double>(stale_cleared_));
  name = "numalign_controller_stale_nodes";
  write_header(out, name, "Nodes whose NUMA data is marked stale.", "gauge");
  write_sample(out, name, {}, {}, {}, {}, stale_nodes_);
  name = "numalign_controller_pending_numa_pods";
  write_header(out, name, "Guaranteed pods of the NUMA scheduler that are unschedulable.", "gauge");
  write_sample(out, name, {}, {}, {}, {}, pending_numa_pods_);
  const std::vector<std::string> zone_labels{"node", "zone", "resource"};
  name = "numalign_controller_numa_allocatable";
  write_header(out, name, "Allocatable amount per node, NUMA zone and resource, from the NRT.",
               "gauge");
  for (const auto& z : zones_) {
    write_sample(out, name, zone_labels, {z.node, z.zone, z.resource}, {}, {}, z.allocatable);
  }
  name = "numalign_controller_numa_used";
  write_header(out, name,
               "Used amount (allocatable - available) per node, NUMA zone and resource, from the "
               "NRT.",
               "gauge");
  for (const auto& z : zones_) {
    write_sample(out, name, zone_labels, {z.node, z.zone, z.resource}, {}, {}, z.used);
  }
  name = "numalign_controller_fragmentation_index";
  write_header(out, name,
               "1 - largest single-NUMA free amount / total free amount of the node, per resource "
               "(0: all free capacity in one zone; near 1: scattered; 0 when nothing is free).",
               "gauge");
  for (const auto& f : fragmentation_) {
    write_sample(out, name, {"node", "resource"}, {f.node, f.resource}, {}, {}, f.index);
  }
  return out;
}

}  // namespace numalign::controller
