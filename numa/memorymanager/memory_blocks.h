#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "numa/topologymanager/bitmask.h"

namespace numalign::numa {

// One container's memory of one type (state.Block). `affinity` is the full mask chosen for the
// container (bit positions); `size` is what the block records, which init-container reuse can
// shrink below the request.
struct MemoryBlock {
  NumaMask affinity;
  std::string type;
  std::uint64_t size = 0;
  bool operator==(const MemoryBlock&) const = default;
};

// podUID -> container name -> blocks (state.ContainerMemoryAssignments).
using MemoryAssignments = std::map<std::string, std::map<std::string, std::vector<MemoryBlock>>>;

}  // namespace numalign::numa
