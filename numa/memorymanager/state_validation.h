#pragma once

#include <optional>
#include <string>

#include "numa/memorymanager/checkpoint.h"

namespace numalign::numa {

class MemoryStaticPolicy;

// How stored and rebuilt machine states are compared at start-up (areMachineStatesEqual).
enum class StateComparison {
  kGroupSums,  // v1.32 (PR #127074): Free/Reserved summed over each node's group
  kPerNode,    // before v1.32: every node's Free/Reserved must match exactly
};

// The memory manager's validateState: rebuilds the expected state from the default machine state
// plus every stored block (greedy fill from the lowest ids), then compares it with the stored
// one. nullopt when valid, else the kubelet's error text.
std::optional<std::string> ValidateMemoryState(
    const MemoryCheckpoint& stored, const MemoryCheckpoint& default_state,
    StateComparison comparison = StateComparison::kGroupSums);

// Start-up restore: the policy name must match, the state must validate, then the policy takes
// the stored machine state and assignments (an empty machine state means a fresh start). On
// failure the policy is unchanged and the error text is returned.
std::optional<std::string> RestoreMemoryPolicy(MemoryStaticPolicy& policy,
                                               const MemoryCheckpoint& stored);

}  // namespace numalign::numa
