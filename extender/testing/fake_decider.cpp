#include "extender/testing/fake_decider.h"

#include <thread>

namespace numalign::extender::testing {

void FakeDecider::set_script(Script script) {
  std::lock_guard lock(mutex_);
  script_ = std::move(script);
}

FakeDecider::Calls FakeDecider::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

FakeDecider::Script FakeDecider::snapshot_and_wait() {
  Script script;
  {
    std::lock_guard lock(mutex_);
    script = script_;
  }
  if (script.delay.count() > 0) std::this_thread::sleep_for(script.delay);
  return script;
}

FilterVerdict FakeDecider::Filter(const nlohmann::json& /*pod*/,
                                  const protocol::NodeCandidates& nodes,
                                  const DecisionContext& /*context*/) {
  {
    std::lock_guard lock(mutex_);
    ++calls_.filter;
    calls_.filter_candidates.push_back(nodes.names);
    calls_.filter_node_cache_capable.push_back(nodes.node_cache_capable());
  }
  const auto script = snapshot_and_wait();
  FilterVerdict verdict;
  verdict.error = script.filter_error;
  for (const auto& name : nodes.names) {
    if (auto it = script.failed_and_unresolvable.find(name);
        it != script.failed_and_unresolvable.end()) {
      verdict.failed_and_unresolvable[name] = it->second;
    } else if (auto failed = script.failed.find(name); failed != script.failed.end()) {
      verdict.failed[name] = failed->second;
    } else {
      verdict.feasible.push_back(name);
    }
  }
  return verdict;
}

PrioritizeVerdict FakeDecider::Prioritize(const nlohmann::json& /*pod*/,
                                          const protocol::NodeCandidates& nodes,
                                          const DecisionContext& /*context*/) {
  {
    std::lock_guard lock(mutex_);
    ++calls_.prioritize;
    calls_.prioritize_candidates.push_back(nodes.names);
  }
  const auto script = snapshot_and_wait();
  PrioritizeVerdict verdict;
  verdict.error = script.prioritize_error;
  for (const auto& name : nodes.names) {
    const auto it = script.scores.find(name);
    verdict.scores.push_back({name, it != script.scores.end() ? it->second : 0});
  }
  return verdict;
}

std::string FakeDecider::Bind(const protocol::BindingArgs& binding,
                              const DecisionContext& /*context*/) {
  bool fail = false;
  std::string error;
  {
    std::lock_guard lock(mutex_);
    ++calls_.bind;
    calls_.binds.push_back(binding);
    if (script_.bind_failures > 0) {
      --script_.bind_failures;
      fail = true;
      error = script_.bind_error;
    }
  }
  snapshot_and_wait();
  return fail ? error : std::string{};
}

PreemptVerdict FakeDecider::Preempt(const nlohmann::json& /*pod*/,
                                    const PreemptionCandidates& candidates,
                                    const DecisionContext& /*context*/) {
  {
    std::lock_guard lock(mutex_);
    ++calls_.preempt;
    calls_.preempt_candidates.push_back(candidates.by_uid);
  }
  const auto script = snapshot_and_wait();
  PreemptVerdict verdict;
  verdict.error = script.preempt_error;
  for (const auto& [node, victims] : candidates.by_uid) {
    if (!script.preempt_drop.contains(node)) verdict.node_name_to_meta_victims[node] = victims;
  }
  return verdict;
}

}  // namespace numalign::extender::testing
