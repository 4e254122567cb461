#pragma once

#include <string>

#include "sim/report/run_summary.h"

namespace numalign::sim {

// A self-contained HTML page (inline CSS and SVG, no scripts or external resources): the
// comparison table, admission errors and cluster CPU use over time per placement, a heatmap of
// every NUMA node's exclusive CPU use over time per placement, and the extender latency
// distribution.
std::string HtmlReport(const RunSummary& run);

// The colour each placement is drawn with, the same in every chart.
std::string PlacementColor(const std::string& placement, std::size_t index);

}  // namespace numalign::sim
