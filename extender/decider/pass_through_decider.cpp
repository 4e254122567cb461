#include "extender/decider/pass_through_decider.h"

namespace numalign::extender {

FilterVerdict PassThroughDecider::Filter(const nlohmann::json& /*pod*/,
                                         const protocol::NodeCandidates& nodes,
                                         const DecisionContext& /*context*/) {
  FilterVerdict verdict;
  verdict.feasible = nodes.names;
  return verdict;
}

PrioritizeVerdict PassThroughDecider::Prioritize(const nlohmann::json& /*pod*/,
                                                 const protocol::NodeCandidates& nodes,
                                                 const DecisionContext& /*context*/) {
  // One equal score for all: adds the same amount to every node, so in-tree scoring decides.
  PrioritizeVerdict verdict;
  verdict.scores.reserve(nodes.names.size());
  for (const auto& name : nodes.names) {
    verdict.scores.push_back({name, protocol::kMinExtenderPriority});
  }
  return verdict;
}

std::string PassThroughDecider::Bind(const protocol::BindingArgs& binding,
                                     const DecisionContext& /*context*/) {
  if (!binder_) return "numalign-extender has no API client configured to create the binding";
  return binder_(binding);
}

PreemptVerdict PassThroughDecider::Preempt(const nlohmann::json& /*pod*/,
                                           const PreemptionCandidates& candidates,
                                           const DecisionContext& /*context*/) {
  PreemptVerdict verdict;
  verdict.node_name_to_meta_victims = candidates.by_uid;
  return verdict;
}

}  // namespace numalign::extender
