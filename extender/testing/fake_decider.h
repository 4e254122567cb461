#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "extender/decider/decider.h"

namespace numalign::extender::testing {

// A scripted, thread-safe Decider for protocol tests: fixed verdicts per node name, injectable
// errors and delays, and a record of every call.
class FakeDecider final : public Decider {
 public:
  struct Script {
    std::map<std::string, std::string> failed;                   // node -> reason
    std::map<std::string, std::string> failed_and_unresolvable;  // node -> reason
    std::map<std::string, std::int64_t> scores;                  // node -> score (default 0)
    std::string filter_error;
    std::string prioritize_error;
    std::string preempt_error;
    int bind_failures = 0;  // the first N binds fail with bind_error
    std::string bind_error = "binding rejected";
    std::set<std::string> preempt_drop;  // nodes removed from the preemption candidates
    std::chrono::milliseconds delay{0};  // sleep in every call (timeout tests)
  };

  struct Calls {
    int filter = 0, prioritize = 0, bind = 0, preempt = 0;
    std::vector<std::vector<std::string>> filter_candidates;
    std::vector<std::vector<std::string>> prioritize_candidates;
    std::vector<bool> filter_node_cache_capable;
    std::vector<protocol::BindingArgs> binds;
    std::vector<std::map<std::string, protocol::MetaVictims>> preempt_candidates;
  };

  void set_script(Script script);
  Calls calls() const;

  FilterVerdict Filter(const nlohmann::json& pod, const protocol::NodeCandidates& nodes,
                       const DecisionContext& context) override;
  PrioritizeVerdict Prioritize(const nlohmann::json& pod, const protocol::NodeCandidates& nodes,
                               const DecisionContext& context) override;
  std::string Bind(const protocol::BindingArgs& binding, const DecisionContext& context) override;
  PreemptVerdict Preempt(const nlohmann::json& pod, const PreemptionCandidates& candidates,
                         const DecisionContext& context) override;

 private:
  Script snapshot_and_wait();

  mutable std::mutex mutex_;
  Script script_;
  Calls calls_;
};

}  // namespace numalign::extender::testing
