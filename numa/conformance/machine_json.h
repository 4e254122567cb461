#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "numa/topology/machine.h"

namespace numalign::numa {

// Reads the conformance vectors' machine object:
//   {"numaNodes": [{"id", "cpus": [{"id","core","socket"}], "memory", "hugepages": {"2Mi":
//   bytes}}],
//    "distances": {"0": {"0": 10, "1": 21}}}
// Node ids may be sparse; nodes may have no CPUs. Errors name the offending field.
std::optional<Machine> ParseMachineJson(const nlohmann::json& machine, std::string* error);

}  // namespace numalign::numa
