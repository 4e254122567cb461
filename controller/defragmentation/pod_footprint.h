#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kube/objects/pod.h"

namespace numalign::controller {

// What the planner needs to know about a pod it might evict. What evicting it frees is not
// here: the node's NodeAdmitter holds the pod (by uid) and releasing it there is the answer.
struct PodFootprint {
  std::string ns, name, uid, node;
  std::int32_t priority = 0;
  std::map<std::string, std::string> labels;
  bool movable = false;
  std::vector<std::string> pdbs;  // "ns/name" of the budgets selecting it
  std::string Key() const { return ns + "/" + name; }
};

// Opt-in for defragmentation: label or annotation numalign.io/movable=true.
inline constexpr char kMovableKey[] = "numalign.io/movable";

PodFootprint MakeFootprint(const kube::PodView& pod);

}  // namespace numalign::controller
