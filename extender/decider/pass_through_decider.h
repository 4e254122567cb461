#pragma once

#include <functional>

#include "extender/decider/decider.h"

namespace numalign::extender {

// The decision for pods that need no NUMA alignment (not Guaranteed, or nothing to align):
// every candidate is feasible, every node scores the same, the scheduler's victims stand, and
// the pod is bound as it is. The NUMA decider delegates such pods here; until that decider
// exists, numalign-extender serves every pod with this one.
class PassThroughDecider final : public Decider {
 public:
  // Creates pods/binding; returns an empty string or the failure. Without one, Bind fails
  // (there is no API client to bind with, and pretending success would strand the pod).
  using Binder = std::function<std::string(const protocol::BindingArgs&)>;

  explicit PassThroughDecider(Binder binder = {}) : binder_(std::move(binder)) {}

  FilterVerdict Filter(const nlohmann::json& pod, const protocol::NodeCandidates& nodes,
                       const DecisionContext& context) override;
  PrioritizeVerdict Prioritize(const nlohmann::json& pod, const protocol::NodeCandidates& nodes,
                               const DecisionContext& context) override;
  std::string Bind(const protocol::BindingArgs& binding, const DecisionContext& context) override;
  PreemptVerdict Preempt(const nlohmann::json& pod, const PreemptionCandidates& candidates,
                         const DecisionContext& context) override;

 private:
  Binder binder_;
};

}  // namespace numalign::extender
