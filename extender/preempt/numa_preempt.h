#pragma once

#include "extender/decider/decider.h"
#include "extender/filter/numa_filter.h"
#include "extender/view/node_view.h"

namespace numalign::extender {

// preempt: for each candidate node, remove the scheduler's victims from a scratch copy of the
// node's view and re-admit the pod. A node where evicting them frees no NUMA-aligned place is
// dropped from the candidates (the scheduler then does not preempt there); nodes that fit keep
// the scheduler's victims unchanged, since those may also be needed for non-NUMA resources.
// Unmanaged nodes follow FilterOptions like filter does.
PreemptVerdict EvaluatePreemption(const NodeView& view, const numa::PodRequests& pod,
                                  std::optional<numa::TopologyPolicyName> pod_policy,
                                  const PreemptionCandidates& candidates,
                                  const FilterOptions& options);

}  // namespace numalign::extender
