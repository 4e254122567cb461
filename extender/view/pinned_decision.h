#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kube/objects/node_resource_topology.h"
#include "kube/objects/object_meta.h"
#include "numa/allocation/allocation_annotation.h"
#include "numa/cpumanager/cpuset.h"
#include "numa/pod/pod_requests.h"

namespace numalign::extender {

// The agent's confirmed pinning (numalign.io/pinned) read back as a numalign.io/allocation
// decision, so the view replays what the agent applied instead of re-deciding it.
//
// Why: a pod that reached an agent-mode node without the extender (spec.nodeName set by hand,
// another scheduler, a restarted pod whose allocation annotation is gone) was admitted by the
// agent in its own arrival order; re-deciding it in the view's replay order (creation time, uid)
// may choose other NUMA nodes than the agent did, and the view then disagrees with the node.
//
// numalign.io/pinned names real CPU ids, while the view's machine is synthetic (one single-thread
// core per CPU of a zone's capacity, see nrt_node_model.h). Only the zone of each CPU is needed:
// a decision says how many exclusive CPUs a container holds and on which NUMA nodes, and the
// view's CPU Manager picks that many synthetic CPUs there. The zones' numalign.io/cpus attribute
// (published by numalign-agent, see agent/publish/README.md) says which zone holds which CPU.

// Which NUMA zone holds each logical CPU, from the NRT zones' numalign.io/cpus attributes.
class ZoneCpus {
 public:
  // Never fails: an NRT whose node-<id> zones do not all publish a valid, disjoint list (an agent
  // older than the attribute, another producer) gives a map that knows no CPU, with the reason.
  static ZoneCpus FromNrt(const kube::NodeResourceTopology& nrt);

  // Whether every zone published its list; when not, `problem()` says why.
  bool known() const { return problem_.empty(); }
  const std::string& problem() const { return problem_; }
  // The NUMA id of the zone listing `cpu`; nullopt when none does.
  std::optional<int> ZoneOf(int cpu) const;

 private:
  std::vector<std::pair<int, numa::CpuSet>> zones_;  // (NUMA id, its CPUs)
  std::string problem_;
};

// What the view keeps of a pod's numalign.io/pinned: only what a decision is derived from, so a
// view of thousands of nodes does not hold every container's copy of the shared pool.
struct PinnedPlacement {
  struct Container {
    std::string name;
    std::vector<int> exclusive_cpus;  // ascending; empty: the container runs on the shared pool
    std::vector<int> mems;            // cpuset.mems: NUMA ids, ascending
    bool operator==(const Container&) const = default;
  };
  std::vector<Container> containers;
  bool operator==(const PinnedPlacement&) const = default;
};

// The pod's numalign.io/pinned when it is valid, names `node` and this pod's uid (a record for
// another node or another incarnation of the name confirms nothing here); nullopt otherwise.
std::optional<PinnedPlacement> ReadPinnedPlacement(const kube::Json& pod_object,
                                                   const std::string& node);

// The decision the agent's pinning amounts to, for every container of `pod` (init containers
// first, as the extender writes decisions):
// - exclusiveCPUs: the number of its exclusive CPUs (0 on the shared pool); numa.cpu: the zones
//   holding them;
// - numa.<resource> for each memory resource it requests: its cpuset.mems, when the node's
//   Memory Manager pins memory (`memory_pinned`; otherwise cpuset.mems is every node, not a
//   placement). A regular init container's memory is released once the pod starts, so its mems
//   are every node too: its memory goes where its CPUs are, or, on the shared pool, where the
//   first app container's memory is (under pod scope every container shares one affinity).
// nullopt with `error` when it cannot be derived: the zones' CPU lists are unknown, a container
// of the pod is not in the record, or a pinned CPU is in no zone's list.
// ApplyAllocationDecision still checks the result against the pod and the node.
std::optional<numa::AllocationDecision> DecisionFromPinned(const PinnedPlacement& pinned,
                                                           const numa::PodRequests& pod,
                                                           const std::string& node,
                                                           const ZoneCpus& zones,
                                                           bool memory_pinned, std::string* error);

}  // namespace numalign::extender
