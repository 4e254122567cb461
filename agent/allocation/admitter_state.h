#pragma once

#include <optional>
#include <string>

#include "numa/admission/node_admitter.h"
#include "numa/memorymanager/checkpoint.h"

namespace numalign::agent {

// The node's allocation state in the kubelet's memory_manager_state layout plus the CPU
// Manager's shared pool and assignments (numalign's additions to the layout).
numa::MemoryCheckpoint AdmitterCheckpoint(const numa::NodeAdmitter& admitter);

// Restores a checkpoint into `admitter`, validated the kubelet's way (memory: policy name and
// validateState; CPUs: the CPU Manager's state checks). On failure `admitter` is unchanged and
// the error text is returned.
std::optional<std::string> RestoreAdmitter(numa::NodeAdmitter& admitter,
                                           const numa::MemoryCheckpoint& checkpoint);

// Releases every CPU and memory block of a pod, whether it was admitted through Admit or
// allocated directly on the policies (validated extender decisions, restored pods).
void ReleasePod(numa::NodeAdmitter& admitter, const std::string& uid);

}  // namespace numalign::agent
