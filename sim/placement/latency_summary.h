#pragma once

#include <vector>

#include "sim/model/placement_result.h"

namespace numalign::sim {

// Nearest-rank percentiles of latency samples (microseconds); all zero without samples.
LatencySummary SummarizeLatencies(std::vector<double> samples_us);

}  // namespace numalign::sim
