#pragma once

#include <atomic>
#include <memory>

#include "extender/bind/numa_binder.h"
#include "extender/config/decision_options.h"
#include "extender/decider/decider.h"
#include "extender/filter/numa_filter.h"
#include "extender/score/numa_score.h"
#include "extender/view/node_view.h"

namespace numalign::extender {

// The NUMA decider: every verb answered from the node view (extender/view) with the kubelet's
// own admission (numa/NodeAdmitter) on a scratch copy of each candidate node.
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
  };
  static std::optional<ParsedPod> Parse(const nlohmann::json& pod, std::string* error);
  // Evaluates every candidate (in parallel when there are many); false when the deadline passed.
  bool EvaluateAll(const ParsedPod& pod, const std::vector<std::string>& names,
                   const DecisionContext& context, std::vector<NodeEvaluation>* out,
                   std::vector<std::shared_ptr<const NodeState>>* states) const;

  std::shared_ptr<NodeView> view_;
  FilterOptions filter_options_;
  ScoringOptions scoring_options_;
  NumaBinder binder_;
};

}  // namespace numalign::extender
