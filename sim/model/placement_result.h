#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/model/pod_outcome.h"

namespace numalign::sim {

// The summary figures of one placement over one workload.
struct PlacementCounters {
  std::int64_t pods = 0;              // CreatePod events
  std::int64_t placed = 0;            // outcome kPlaced
  std::int64_t admission_errors = 0;  // every rejected incarnation (recreated ones included)
  std::int64_t failed = 0;            // outcome kAdmissionError
  std::int64_t recreated = 0;         // incarnations created after an admission error
  std::int64_t pending = 0;           // outcome kPending
  // Over placed Guaranteed pods with exclusive resources (`numa_pods`): share aligned, and share
  // with a container on more NUMA nodes than it needs.
  std::int64_t numa_pods = 0;
  double aligned_share = 0;
  double spread_share = 0;
  // Requests of running pods over allocatable, averaged over the time series samples.
  double cpu_utilisation = 0;
  double memory_utilisation = 0;
  double peak_cpu_utilisation = 0;
};

// Exclusive-CPU use of one NUMA node over time (fraction of its allocatable CPUs, 0..1),
// one value per PlacementResult::sample_times_s entry.
struct NumaNodeSeries {
  std::string node;
  int numa_id = 0;
  std::vector<double> cpu_used;
};

struct LatencySummary {
  std::int64_t count = 0;
  double p50_us = 0, p90_us = 0, p99_us = 0, max_us = 0, mean_us = 0;
};

struct PlacementResult {
  std::string placement;  // Placement::Name()
  std::string description;
  std::vector<PodOutcome> pods;  // in CreatePod event order
  PlacementCounters counters;

  // Wall-clock seconds spent scheduling (filter, score, extender calls, bind, admission) in this
  // process, and per pod (mean); process mode measures the same span around its cluster.
  double time_to_place_s = 0;
  double mean_time_to_place_us = 0;
  // Wall-clock latency of every extender call (filter + prioritize + bind per scheduling
  // attempt, each sample one call), microseconds; empty when the placement has no extender.
  std::vector<double> extender_latency_us;
  LatencySummary extender_latency;

  // Placement-specific counts (e.g. the agent refusing an extender decision), by description.
  std::map<std::string, std::int64_t> notes;

  // Virtual-time series.
  std::vector<double> sample_times_s;
  std::vector<NumaNodeSeries> numa_series;        // every NUMA node with CPUs, node order
  std::vector<std::int64_t> admission_errors_at;  // cumulative admission errors at each sample
  std::vector<double> cpu_utilisation_at;         // cluster-wide, at each sample
};

}  // namespace numalign::sim
