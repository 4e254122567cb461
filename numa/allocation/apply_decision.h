#pragma once

#include <optional>
#include <string>

#include "numa/admission/node_admitter.h"
#include "numa/allocation/allocation_annotation.h"
#include "numa/pod/pod_requests.h"

namespace numalign::numa {

// Applies an extender decision (numalign.io/allocation) to `admitter` with the kubelet's own
// allocate functions: each container's Topology Manager affinity is forced to the decided NUMA
// nodes and the CPU Manager's and Memory Manager's Allocate run as at admission. The decision is
// accepted only if every Allocate succeeds AND the result is what was decided (the CPU Manager
// falls back to CPUs outside the hint when the hint cannot hold them; that is not the decision).
//
// The agent commits decisions with it, and the extender replays the decisions of the pods already
// on a node with it, so both hold the same per-NUMA accounting whatever order pods replay in.
//
// On success the pod's allocations are in `admitter` and nullopt is returned; on refusal
// `admitter` is unchanged and the reason is returned.
std::optional<std::string> ApplyAllocationDecision(NodeAdmitter& admitter, const PodRequests& pod,
                                                   const AllocationDecision& decision,
                                                   const std::string& node_name);

}  // namespace numalign::numa
