#pragma once

#include <atomic>
#include <memory>

#include "extender/bind/numa_binder.h"
#include "extender/config/decision_options.h"
#include "extender/decider/decider.h"
#include "extender/decider/shape_ids.h"
#include "extender/filter/numa_filter.h"
#include "extender/score/numa_score.h"
#include "extender/view/node_view.h"

namespace numalign::extender {

// The NUMA decider: every verb answered from the node view (extender/view) with the kubelet's
// own admission (numa/NodeAdmitter::Evaluate) on each candidate node, memoized per node state.
class NumaDecider final : public Decider {
 public:
  NumaDecider(std::shared_ptr<NodeView> view, kube::ApiClient& api, const DecisionOptions& options);

  FilterVerdict Filter(const nlohmann::json& pod, const protocol::NodeCandidates& nodes,
                       const DecisionContext& context) override;
  PrioritizeVerdict Prioritize(const nlohmann::json& pod, const protocol::NodeCandidates& nodes,
                               const DecisionContext& context) override;
  std::string Bind(const protocol::BindingArgs& binding, const DecisionContext& context) override;
  PreemptVerdict Preempt(const nlohmann::json& pod, const PreemptionCandidates& candidates,
                         const DecisionContext& context) override;

  // Above this many candidates filter and prioritize split the nodes over worker threads.
  static constexpr std::size_t kParallelThreshold = 128;

 private:
  struct ParsedPod {
    numa::PodRequests requests;
    std::optional<numa::TopologyPolicyName> policy;
    std::uint64_t shape = 0;  // memo key of the node verdicts: the ShapeIds id of ShapeKey
  };
  std::optional<ParsedPod> Parse(const nlohmann::json& pod, std::string* error) const;
  // Everything a verdict depends on besides the node state: the pod's NUMA requests, container
  // names and policy, and this decider's options.
  std::string ShapeKey(const ParsedPod& pod) const;
  // The verdict of each candidate, and what keeps them alive: the node states (whose memos
  // hold the memoized verdicts) and the verdicts that could not be memoized.
  struct Verdicts {
    std::vector<std::shared_ptr<const NodeState>> states;
    std::vector<const CachedVerdict*> of_node;  // by candidate index
    std::vector<std::unique_ptr<const CachedVerdict>> unmemoized;
  };
  // The verdict (and score) of every candidate: memoized ones from the node states, the rest
  // evaluated (in parallel when many); false when the deadline passed (`out` is then partial).
  bool VerdictsFor(const ParsedPod& pod, const std::vector<std::string>& names,
                   const DecisionContext& context, Verdicts* out) const;
  CachedVerdict Evaluate(const NodeState* state, const ParsedPod& pod) const;

  std::shared_ptr<NodeView> view_;
  FilterOptions filter_options_;
  ScoringOptions scoring_options_;
  NumaBinder binder_;
  mutable ShapeIds shape_ids_;
};

}  // namespace numalign::extender
