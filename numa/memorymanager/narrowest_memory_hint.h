#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "numa/memorymanager/machine_state.h"
#include "numa/pod/pod_requests.h"
#include "numa/topologymanager/bitmask.h"
#include "numa/topologymanager/hint.h"

namespace numalign::numa {

// Memory that a pod's init containers hold on exactly `mask` and that its later containers may
// take over (one entry of the kubelet's initContainersReusableMemory).
struct ReusableMemory {
  NumaMask mask;
  std::string type;
  std::uint64_t bytes = 0;
};

// The bytes of `type` that `reusable` offers on exactly `mask` (0 when none).
std::uint64_t ReusableBytesOn(const std::vector<ReusableMemory>& reusable, NumaMask mask,
                              const std::string& type);

// What findBestHint picks from the Static policy's calculateHints list for `request`, keeping
// only the masks that contain `within` (pass an empty mask to keep them all): the default hint
// of getDefaultHint, or with `within` the extension of extendTopologyManagerHint. nullopt when
// that list is empty. `reusable` is the pod's reusable init-container memory (empty for any
// other pod).
//
// Why it needs no list of every mask: a listed mask passed calculateHints' Allocatable test, so
// it has at least the minimal size calculateHints computes, and it is preferred exactly when its
// size equals that minimum. The fewest-nodes listed mask is therefore preferred whenever any
// listed mask is, and findBestHint returns the listed mask that is least by (node count, integer
// value). Walking sizes upwards and stopping at the first size that lists something finds it;
// the minimal size is the first size at which some mask's Allocatable covers the request.
std::optional<TopologyHint> FindNarrowestMemoryHint(const MemoryMachineState& state,
                                                    const MemoryRequest& request, NumaMask within,
                                                    const std::vector<ReusableMemory>& reusable);

}  // namespace numalign::numa
