#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "numa/topology/machine.h"

namespace numalign::numa {

// Two discoveries of one machine (hwloc vs sysfs, XML vs live) may differ in memory by this
// fraction per node. Both backends read the same per-node MemTotal, so on one machine at one
// moment they agree exactly; the slack only absorbs changes between two reads or two boots
// (kernel reservations, balloon drivers move a few MiB). 0.1% is 16 MiB on a 16 GiB node, far
// below a memory hot-plug block (128 MiB+) or a wrongly attributed node, which must be reported.
inline constexpr double kMemoryRelativeTolerance = 0.001;

// Human-readable disagreements between two discoveries of the same machine; empty = they agree.
// Checked: NUMA node ids; cpus per node; memory per node (within kMemoryRelativeTolerance);
// hugepage sizes and pool bytes (exact); distances; and the core/socket/node of every CPU both
// know. A machine without distances agrees with one whose matrix is only a single node's "10"
// (hwloc records no matrix for a single node; sysfs always has the file). Subtypes are not
// compared: only hwloc knows them.
std::vector<std::string> CompareMachines(const Machine& a, const std::string& a_name,
                                         const Machine& b, const std::string& b_name);

}  // namespace numalign::numa
