#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controller/defragmentation/pod_footprint.h"
#include "numa/admission/node_admitter.h"
#include "numa/pod/pod_requests.h"

namespace numalign::controller {

// One node as the planner sees it: its NUMA admission state with every pod placed there
// admitted (the extender's node view: the NRT's machine and kubelet configuration, placements
// replayed), and those pods. Only pods the admitter holds can be evicted in a plan: for any
// other pod nobody can tell what evicting it would free.
struct NodeModel {
  std::string name;
  std::shared_ptr<const numa::NodeAdmitter> admitter;
  std::vector<PodFootprint> pods;
};

struct PlanRequest {
  numa::PodRequests pod;  // the pending pod (uid and key set)
  std::int32_t priority = 0;
  std::vector<NodeModel> nodes;
  std::map<std::string, int> pdb_disruptions_allowed;  // "ns/name" -> status.disruptionsAllowed
  int max_evictions = 3;
  // Guards the combinatorial search on big nodes: candidates beyond this are ignored.
  int max_candidates_per_node = 24;
};

enum class PlanOutcome {
  kPlanned,            // evictions below make the pod admissible
  kAlreadyFits,        // some node admits it as it is: nothing to do
  kInsufficientTotal,  // no node admits it even with every pod it holds gone
  kNothingMovable,     // no pod that evicting would help is movable
  kBlockedByPriority,  // only pods of higher or equal priority would have to go
  kBlockedByPdb,       // only plans violating a PodDisruptionBudget exist
  kNoPlan,             // not within max_evictions (or no node with NUMA data)
};

std::string_view ToString(PlanOutcome outcome);

struct EvictionPlan {
  PlanOutcome outcome = PlanOutcome::kNoPlan;
  std::string node;
  // The NRT zones ("node-0", or "node-0,node-1" for a pod the policy lets span zones) the pod
  // would be admitted to, as the kubelet's Topology Manager would choose them.
  std::string zone;
  std::vector<PodFootprint> evictions;  // fewest possible, all on `node`
};

// Pure: the smallest set of evictions (on one node) after which that node's kubelet would
// admit the pod, decided by the node's NodeAdmitter (Topology Manager policy and scope, CPU
// and Memory Manager) on a copy with the evicted pods released. Only movable pods of strictly
// lower priority the admitter holds are candidates; no budget may lose more pods than it
// allows. Ties between equally small plans: lower summed priority, then node and pod names.
EvictionPlan PlanEvictions(const PlanRequest& request);

}  // namespace numalign::controller
