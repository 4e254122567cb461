#pragma once

#include <cstdio>

#include "sim/cli/sim_options.h"

namespace numalign::sim {

// numalign-sim's whole run: cluster and workload, every placement asked for, then
// <output-dir>/result.json and report.html and the terminal summary on `out`. Errors go to
// `err` with exit code 2 (bad input) or 1 (a placement failed). `terminal`: draw a progress bar.
int RunSim(const SimOptions& options, std::FILE* out, std::FILE* err, bool terminal);

}  // namespace numalign::sim
