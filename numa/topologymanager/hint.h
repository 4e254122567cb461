#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "numa/topologymanager/bitmask.h"

namespace numalign::numa {

// The kubelet's TopologyHint. No affinity (nullopt) means "no NUMA preference".
struct TopologyHint {
  std::optional<NumaMask> affinity;
  bool preferred = false;
  bool operator==(const TopologyHint&) const = default;
};

// What one hint provider answers for a container or pod. The three "empty" shapes of the kubelet
// stay distinct because the Topology Manager treats them differently:
//   - no keys at all (nil or empty map)        -> no preference for anything
//   - key -> nullopt (nil list)                -> no preference for that resource
//   - key -> empty vector                      -> that resource cannot be satisfied
struct ProviderHints {
  std::map<std::string, std::optional<std::vector<TopologyHint>>> by_resource;
};

}  // namespace numalign::numa
