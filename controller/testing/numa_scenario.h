#pragma once

#include <string>
#include <vector>

#include "kube/objects/object_meta.h"

namespace numalign::controller::testing {

// Objects for defragmentation scenarios, as the agent and the API server would hold them.

// An NRT as numalign-agent publishes it in agent pinning mode (numalign.io/pinningMode=agent:
// the node view replays every placed pod on the zones' allocatable amounts): `zones` NUMA zones of
// `cpus_per_zone` allocatable CPUs each (one more CPU of capacity per zone is reserved, as the
// static CPU policy requires), policy single-numa-node with the given scope ("container" or "pod").
kube::Json AgentNrt(const std::string& node, int cpus_per_zone, int zones = 2,
                    const std::string& scope = "container");

struct PodShape {
  std::string name;
  std::vector<int> container_cpus;  // one Guaranteed container per entry (CPUs, 1Gi memory)
  std::string node;                 // "" = pending (Unschedulable)
  bool movable = false;
  int priority = 0;
  int created_second = 0;  // creation order: the node view replays placements in it
  std::string ns = "ns";
};

// A Guaranteed pod of scheduler "numalign-scheduler" with uid "uid-<name>", Running on its node
// or pending with PodScheduled=False/Unschedulable.
kube::Json ScenarioPod(const PodShape& shape);

}  // namespace numalign::controller::testing
