#pragma once

#include <string>

#include "numa/admission/admit_result.h"
#include "numa/allocation/allocation_annotation.h"
#include "numa/pod/pod_requests.h"
#include "numa/topology/machine.h"

namespace numalign::extender {

// The numalign.io/allocation value for an admitted pod: each container that received exclusive
// CPUs or pinned memory, init containers first, with the NUMA nodes of its CPUs ("cpu") and of
// each memory resource, as the admit result on the node's freshest view chose them.
numa::AllocationDecision BuildDecision(const std::string& node, const numa::PodRequests& pod,
                                       const numa::Machine& machine,
                                       const numa::AdmitResult& admitted);

}  // namespace numalign::extender
