#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kube/objects/pod.h"

namespace numalign::controller {

// Amounts in milli-units (cpu "1" = 1000, memory "1Gi" = 1073741824000) so every resource of
// the NRT compares in one integer type.
using ResourceAmounts = std::map<std::string, std::int64_t>;

// What a pod holds on its node, as far as the planner needs it.
struct PodFootprint {
  std::string ns, name, uid, node;
  std::int32_t priority = 0;
  std::map<std::string, std::string> labels;
  bool movable = false;
  ResourceAmounts requests;  // effective pod requests
  // NUMA zone ("node-0") -> amounts held there, from numalign.io/allocation: a container's
  // request of a resource is split evenly over the NUMA nodes recorded for it. Empty when the
  // pod has no (readable) allocation: the planner cannot tell what evicting it would free.
  std::map<std::string, ResourceAmounts> per_zone;
  std::vector<std::string> pdbs;  // "ns/name" of the budgets selecting it
  std::string Key() const { return ns + "/" + name; }
};

// Opt-in for defragmentation: label or annotation numalign.io/movable=true.
inline constexpr char kMovableKey[] = "numalign.io/movable";

// The pod's effective requests: max(sum of app and sidecar containers, largest init container),
// as the scheduler computes them. Unparseable quantities are skipped.
ResourceAmounts EffectiveRequests(const kube::PodView& pod);

PodFootprint MakeFootprint(const kube::PodView& pod);

}  // namespace numalign::controller
