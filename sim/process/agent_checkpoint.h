#pragma once

#include <map>
#include <optional>
#include <string>

#include "numa/admission/admit_result.h"

namespace numalign::sim::process {

// What numalign-agent's checkpoint (<state-dir>/numalign_agent_state, agent/allocation) says
// about one pod: the node's allocation state is the kubelet's memory_manager_state plus the CPU
// Manager's assignments, so it holds exactly what the agent allocated to each container.
struct AgentPodAllocation {
  bool known = false;  // the agent holds the pod (admitted, not released)
  // Containers with exclusive CPUs or memory blocks, as numa::AdmitResult reports them.
  std::map<std::string, numa::ContainerAllocation> containers;
  std::string source;  // "extender" (its decision was used) or "kubelet" (decided on the node)
};

// Reads the checkpoint file (verified: the state file's own checksum). nullopt with `error`
// when it cannot be read or parsed; a missing file is an error too (the agent writes it before
// it pins anything).
std::optional<AgentPodAllocation> ReadAgentPodAllocation(const std::string& checkpoint_path,
                                                         const std::string& pod_uid,
                                                         std::string* error);

}  // namespace numalign::sim::process
