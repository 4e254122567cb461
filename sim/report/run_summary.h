#pragma once

#include <string>
#include <vector>

#include "sim/model/cluster_spec.h"
#include "sim/model/placement_result.h"
#include "sim/model/workload.h"

namespace numalign::sim {

// Everything one numalign-sim run produced, for the JSON result, the HTML report and the
// terminal summary.
struct RunSummary {
  std::string mode;  // "in-process" | "processes"
  const ClusterSpec* cluster = nullptr;
  const Workload* workload = nullptr;
  std::vector<PlacementResult> placements;
};

}  // namespace numalign::sim
