#include "extender/preempt/numa_preempt.h"

namespace numalign::extender {

PreemptVerdict EvaluatePreemption(const NodeView& view, const numa::PodRequests& pod,
                                  std::optional<numa::TopologyPolicyName> pod_policy,
                                  const PreemptionCandidates& candidates,
                                  const FilterOptions& options) {
  PreemptVerdict verdict;
  for (const auto& [node_name, victims] : candidates.by_uid) {
    auto state = view.Get(node_name);
    if (state && state->stale) continue;  // filter rejected it as unresolvable: no eviction helps
    if (!state || !state->admitter) {
      if (options.unmanaged == UnmanagedNodes::kPass) {
        verdict.node_name_to_meta_victims[node_name] = victims;
      }
      continue;
    }
    NodeState freed;
    freed.name = state->name;
    freed.agent_mode = state->agent_mode;
    freed.admitter = *state->admitter;
    for (const auto& victim : victims.pods) freed.admitter->Remove(victim.uid);
    NodeEvaluation evaluation = EvaluateNode(&freed, pod, pod_policy, options);
    if (evaluation.fit == NodeFit::kFits && !victims.pods.empty()) {
      verdict.node_name_to_meta_victims[node_name] = victims;
    }
  }
  return verdict;
}

}  // namespace numalign::extender
