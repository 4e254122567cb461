#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace numalign::sim {

enum class OutcomeKind {
  kPlaced,          // bound and admitted by the node (its current incarnation is running)
  kAdmissionError,  // the last attempt was rejected by node admission (TopologyAffinityError..)
  kPending,         // no node passed the scheduler's filters (or the attempts ran out unbound)
};

// Where one container's resources went on its node.
struct ContainerPlacement {
  std::string name;
  std::int64_t exclusive_cpus = 0;
  // Every NUMA node (OS id) any of its resources came from, ascending; empty = no NUMA
  // affinity (shared pool and no pinned memory).
  std::vector<int> numa_nodes;
  // The fewest NUMA nodes of this node that could hold the container's exclusive resources
  // (0 when it has none): more than this in `numa_nodes` is "spread more than needed".
  int min_numa_nodes = 0;
};

// What happened to one CreatePod event's pod.
struct PodOutcome {
  std::string pod;    // namespace/name as created
  std::string final;  // namespace/name of the last incarnation (differs after recreations)
  std::string node;   // where the last incarnation was bound; "" when pending
  OutcomeKind outcome = OutcomeKind::kPending;
  std::string reason;   // kubelet reason + message for admission errors, scheduler's for pending
  int attempts = 0;     // incarnations scheduled
  int recreations = 0;  // admission errors that led to a new incarnation
  bool guaranteed = false;
  // Every container with exclusive resources sits on exactly min_numa_nodes NUMA nodes, the
  // containers with NUMA affinity together on one node when each fits one (only placed
  // Guaranteed pods with exclusive resources count; see PlacementCounters).
  bool aligned = false;
  bool spread_more_than_needed = false;
  std::vector<ContainerPlacement> containers;
  double created_at_s = 0;   // virtual time of the CreatePod event
  double deleted_at_s = -1;  // virtual time of its DeletePod; -1 = never deleted
};

}  // namespace numalign::sim
