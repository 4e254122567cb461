#pragma once

#include <nlohmann/json.hpp>

#include "sim/report/run_summary.h"

namespace numalign::sim {

struct ResultJsonOptions {
  // Wall-clock measurements (time to place, extender latencies) differ from run to run; without
  // them the document of a seeded run is byte-for-byte repeatable.
  bool timings = true;
  bool pod_outcomes = true;
};

// The result document (schema "numalign-sim/v1"): cluster and workload summary, then per
// placement its counters, notes, virtual-time series and (optionally) per-pod outcomes and
// timings.
nlohmann::json ResultJson(const RunSummary& run, const ResultJsonOptions& options);

}  // namespace numalign::sim
