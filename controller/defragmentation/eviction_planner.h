#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controller/defragmentation/pod_footprint.h"

namespace numalign::controller {

// One node as the planner sees it: free amounts per NUMA zone (the NRT's `available`) and the
// pods running there.
struct NodeModel {
  std::string name;
  std::map<std::string, ResourceAmounts> zone_free;  // "node-0" -> free amounts
  std::vector<PodFootprint> pods;
};

struct PlanRequest {
  ResourceAmounts requests;  // the pending pod's effective requests
  std::int32_t priority = 0;
  std::vector<NodeModel> nodes;
  std::map<std::string, int> pdb_disruptions_allowed;  // "ns/name" -> status.disruptionsAllowed
  int max_evictions = 3;
  // Guards the combinatorial search on big nodes: candidates beyond this are ignored.
  int max_candidates_per_node = 24;
};

enum class PlanOutcome {
  kPlanned,            // evictions below open an aligned place
  kAlreadyFits,        // some zone already has room: nothing to do
  kNotNumaRelevant,    // the pod requests nothing the NRT zones account for
  kInsufficientTotal,  // not enough free capacity in the whole cluster: evictions won't help
  kNothingMovable,     // no pod that evicting would help is movable
  kBlockedByPriority,  // only pods of higher or equal priority would have to go
  kBlockedByPdb,       // only plans violating a PodDisruptionBudget exist
  kNoPlan,             // not within max_evictions
};

std::string_view ToString(PlanOutcome outcome);

struct EvictionPlan {
  PlanOutcome outcome = PlanOutcome::kNoPlan;
  std::string node;
  std::string zone;                     // the zone that will have room
  std::vector<PodFootprint> evictions;  // fewest possible, all on `node`
};

// Pure: the smallest set of evictions (on one node) after which one NUMA zone of that node has
// room for every zone-accounted resource of the request: the single-NUMA-node alignment the
// kubelet's Topology Manager asks for. Only movable pods of strictly lower priority whose zone
// usage is known are candidates; no budget may lose more pods than it allows. Ties between
// equally small plans: lower summed priority, then node and pod names (deterministic).
EvictionPlan PlanEvictions(const PlanRequest& request);

}  // namespace numalign::controller
