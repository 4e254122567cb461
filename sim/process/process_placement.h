#pragma once

#include <memory>

#include "sim/placement/placement.h"
#include "sim/process/process_mode_options.h"

namespace numalign::sim {

// numalign as processes: for each Run, a fresh ProcessCluster (test API server, one real
// numalign-agent per simulated node, numalign-extender, numalign-controller), the workload's
// events driven serially through the scheduler model (sim/scheduler) with the extender over
// HTTP, and the outcomes read from the API and the agents' checkpoints (sim/process). Counted by
// the same event driver as every in-process placement, so results compare one to one with the
// in-process numalign placement. Run throws std::runtime_error (naming the program and the tail
// of its log) when the cluster cannot be started or a program fails during the run.
std::unique_ptr<Placement> MakeProcessNumalignPlacement(const ProcessModeOptions& options);

}  // namespace numalign::sim
