#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "numa/admission/admit_result.h"
#include "numa/topology/machine.h"
#include "sim/model/cluster_spec.h"
#include "sim/model/placement_result.h"
#include "sim/model/workload.h"
#include "sim/placement/placement.h"

namespace numalign::sim {

// What one scheduling attempt of one incarnation came to.
struct AttemptResult {
  enum class Kind { kPlaced, kAdmissionError, kPending };
  Kind kind = Kind::kPending;
  std::string node;    // bound node (kPlaced, kAdmissionError)
  std::string reason;  // admission reason + message, or why no node was found
  // kPlaced: the node's allocations by container name (containers without exclusive resources
  // may be absent), as the kubelet's admission / the agent reports them.
  std::map<std::string, numa::ContainerAllocation> containers;
  std::vector<double> extender_latency_us;
  // Notable things counted in PlacementResult::notes, e.g. "agent refused the extender's
  // decision".
  std::vector<std::string> notes;
};

// One placement's mechanics; the event driver does the bookkeeping around it, so every
// placement (and both modes) count alike.
class PlacementBackend {
 public:
  virtual ~PlacementBackend() = default;
  // Virtual time moves forward to `time_s` before the event at that time is handled (exporter
  // periods elapse here).
  virtual void AdvanceTo(double time_s) = 0;
  // Schedules one incarnation to completion: scheduled, bound and admitted by the node, or
  // rejected by the node (it is then already released everywhere), or left pending.
  virtual AttemptResult Place(const SimPod& incarnation, const nlohmann::json& pod_object) = 0;
  // Deletes a placed incarnation from its node (kubelet release, scheduler cache, extender view).
  virtual void Remove(const SimPod& incarnation, const std::string& node) = 0;
};

// Runs a workload through a backend with the semantics both modes share (sim-contract.md):
// events serially in (time_s, sequence) order; a rejected pod with an owner ReplicaSet is
// recreated (IncarnationName/IncarnationUid) up to kMaxAttemptsPerEvent attempts, one without
// stays Failed; DeletePod removes the live incarnation. Computes the outcomes, counters and
// virtual-time series. `machines[i]` is cluster.nodes[i]'s hardware. Wall-clock time around
// Place calls is time_to_place.
PlacementResult RunEvents(const std::string& placement_name, const ClusterSpec& cluster,
                          const std::vector<numa::Machine>& machines, const Workload& workload,
                          PlacementBackend& backend, RunObserver& observer);

}  // namespace numalign::sim
