#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace numalign::agent {

// The agent's counters and gauges, rendered in the Prometheus text format for /metrics.
// memory_manager_pinning_requests_total / memory_manager_pinning_errors_total keep the kubelet's
// names and meaning: one request per Guaranteed container allocation attempted, one error per
// failed pod allocation. Atomics: the worker thread writes, the HTTP thread reads.
struct AgentMetrics {
  std::atomic<std::uint64_t> pinning_requests_total{0};
  std::atomic<std::uint64_t> pinning_errors_total{0};
  std::atomic<std::uint64_t> cgroup_write_errors_total{0};
  std::atomic<std::uint64_t> cgroup_drift_repairs_total{0};
  std::atomic<std::uint64_t> checkpoint_corruptions_total{0};
  std::atomic<std::uint64_t> checkpoint_write_errors_total{0};
  std::atomic<std::uint64_t> extender_decisions_accepted_total{0};
  std::atomic<std::uint64_t> extender_decisions_refused_total{0};
  std::atomic<std::uint64_t> annotation_patch_errors_total{0};
  std::atomic<std::uint64_t> admitted_pods{0};
  std::atomic<std::uint64_t> state_generation{0};

  std::string RenderPrometheus() const;
};

}  // namespace numalign::agent
