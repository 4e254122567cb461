#pragma once

#include <string>
#include <vector>

#include "agent/allocation/allocation_engine.h"
#include "agent/allocation/pod_observation.h"
#include "agent/cgroup/error.h"
#include "agent/cgroup/pod_pinning.h"
#include "numa/allocation/pinned_annotation.h"

namespace numalign::agent {

// What one admitted pod's cgroups must be pinned to, from the engine's allocation:
// - a container with exclusive CPUs gets exactly them (picked by the CPU Manager's static policy
//   inside the chosen NUMA nodes);
// - every other container (non-Guaranteed pods, fractional CPU requests, the CPU Manager policy
//   "none") gets the shared pool, which is the CPU Manager's default set like the kubelet's
//   (reserved CPUs included): it shrinks and grows as exclusive CPUs are taken and returned;
// - cpuset.mems: the NUMA nodes of the container's memory blocks (memory and hugepages) when the
//   Memory Manager pinned it, else every NUMA node;
// - the pod cgroup gets the union of its containers' sets.
struct PodPinningPlan {
  std::string uid;
  numa::QosClass qos = numa::QosClass::kBestEffort;
  numa::PinnedRecord record;      // also the numalign.io/pinned annotation value
  bool uses_shared_pool = false;  // some container runs on the shared pool
};

PodPinningPlan PlanPodPinning(const AllocationEngine& engine, const PodObservation& pod,
                              const std::string& node_name);

// The cgroup-level request: the pod cgroup plus every container whose id the pod status shows
// (containers without one yet are pinned once it appears). Invalid ids are skipped and listed in
// `skipped` ("name: reason"); an invalid pod uid is an error (nothing can be pinned safely).
cgroup::Result<cgroup::PodPinning> ToCgroupPinning(const PodPinningPlan& plan,
                                                   const PodObservation& pod,
                                                   std::vector<std::string>* skipped);

}  // namespace numalign::agent
