#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "extender/protocol/types.h"

namespace numalign::extender {

// Limits of one decision. Deciders check expired() between nodes and stop early with an
// error: past the deadline the scheduler has stopped waiting, so finishing is wasted work.
struct DecisionContext {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

  bool expired() const { return std::chrono::steady_clock::now() >= deadline; }
};

// The filter verdict over the candidate nodes. Every candidate should appear exactly once:
// in `feasible`, in `failed` (preemption may help) or in `failed_and_unresolvable` (no
// eviction can help, so the scheduler does not preempt there). Reasons use the kubelet's words
// (e.g. "TopologyAffinityError: ..."), as they surface in the pod's FailedScheduling event.
struct FilterVerdict {
  std::vector<std::string> feasible;  // in candidate order
  std::map<std::string, std::string> failed;
  std::map<std::string, std::string> failed_and_unresolvable;
  std::string error;  // non-empty: the whole call failed (the scheduler retries the pod)
};

struct PrioritizeVerdict {
  protocol::HostPriorityList scores;  // 0..10; the reply writer clamps anything else
  std::string error;                  // non-empty: no scores (the scheduler ignores us)
};

// The preemption candidates: node -> victims chosen by the scheduler's dry run.
struct PreemptionCandidates {
  // Always filled; in nodeCacheCapable=false mode the UIDs come from the victim pods.
  std::map<std::string, protocol::MetaVictims> by_uid;
  // The full victim Pod objects when the scheduler sent them (nodeCacheCapable=false).
  const std::map<std::string, protocol::Victims>* full = nullptr;
};

struct PreemptVerdict {
  // Nodes kept as candidates, each with its (possibly extended) victims; a node left out is
  // no longer a candidate. Every kept node needs at least one victim, and every UID must be a
  // pod on that node, or the scheduler fails the preemption.
  std::map<std::string, protocol::MetaVictims> node_name_to_meta_victims;
  std::string error;
};

// The decision logic behind the HTTP verbs. The server calls it concurrently from its thread
// pool (several schedulers, and bind runs concurrently with the scheduling cycle), so every
// implementation must be thread-safe. `pod` is the v1.Pod JSON object as the scheduler sent it.
class Decider {
 public:
  virtual ~Decider() = default;

  virtual FilterVerdict Filter(const nlohmann::json& pod, const protocol::NodeCandidates& nodes,
                               const DecisionContext& context) = 0;

  virtual PrioritizeVerdict Prioritize(const nlohmann::json& pod,
                                       const protocol::NodeCandidates& nodes,
                                       const DecisionContext& context) = 0;

  // Creates the binding (and whatever must be written with it). Returns an empty string on
  // success, else the reason; a retry for the same pod UID must be idempotent.
  virtual std::string Bind(const protocol::BindingArgs& binding,
                           const DecisionContext& context) = 0;

  virtual PreemptVerdict Preempt(const nlohmann::json& pod, const PreemptionCandidates& candidates,
                                 const DecisionContext& context) = 0;
};

}  // namespace numalign::extender
