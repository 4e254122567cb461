#pragma once

#include <string>

#include "sim/report/run_summary.h"

namespace numalign::sim {

// The comparison as a plain-text table for the terminal.
std::string TerminalSummary(const RunSummary& run);

}  // namespace numalign::sim
