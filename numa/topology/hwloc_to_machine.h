#pragma once

#include <hwloc.h>

#include <optional>
#include <string>

#include "numa/topology/machine.h"

namespace numalign::numa {

// Converts a loaded hwloc topology into the Machine model (rules in hwloc_loader.h). `source`
// names the input in error messages.
std::optional<Machine> MachineFromHwlocTopology(hwloc_topology_t topology,
                                                const std::string& source, std::string* error);

}  // namespace numalign::numa
