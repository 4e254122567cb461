#include "extender/decider/numa_decider.h"

#include <algorithm>
#include <thread>

#include "extender/preempt/numa_preempt.h"
#include "kube/objects/object_meta.h"
#include "numa/pod/pod_spec.h"

namespace numalign::extender {

NumaDecider::NumaDecider(std::shared_ptr<NodeView> view, kube::ApiClient& api,
                         const DecisionOptions& options)
    : view_(view),
      filter_options_{options.unmanaged_nodes},
      scoring_options_{options.scoring_strategy, options.resource_weights},
      binder_(view, api, FilterOptions{options.unmanaged_nodes}) {}

std::optional<NumaDecider::ParsedPod> NumaDecider::Parse(const nlohmann::json& pod,
                                                         std::string* error) {
  auto spec = numa::ParsePodJson(pod, error);
  if (!spec) return std::nullopt;
  ParsedPod parsed{numa::ComputePodRequests(*spec), std::nullopt};
  if (auto asked = kube::AnnotationOf(pod, kPodTopologyPolicyAnnotation)) {
    parsed.policy = ParseTopologyPolicyName(*asked);
    if (!parsed.policy) {
      *error = std::string(kPodTopologyPolicyAnnotation) + ": unknown policy \"" + *asked +
               "\" (none, best-effort, restricted, single-numa-node)";
      return std::nullopt;
    }
  }
  return parsed;
}

bool NumaDecider::EvaluateAll(const ParsedPod& pod, const std::vector<std::string>& names,
                              const DecisionContext& context, std::vector<NodeEvaluation>* out,
                              std::vector<std::shared_ptr<const NodeState>>* states) const {
  out->assign(names.size(), NodeEvaluation{});
  states->assign(names.size(), nullptr);
  for (std::size_t i = 0; i < names.size(); ++i) (*states)[i] = view_->Get(names[i]);
  std::atomic<bool> expired = false;
  auto work = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      // Checking the clock every 32 nodes keeps its cost out of the per-node path.
      if (i % 32 == 0 && context.expired()) {
        expired = true;
        return;
      }
      (*out)[i] = EvaluateNode((*states)[i].get(), pod.requests, pod.policy, filter_options_);
    }
  };
  std::size_t workers = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  if (names.size() < kParallelThreshold || workers == 1) {
    work(0, names.size());
  } else {
    std::vector<std::thread> threads;
    std::size_t chunk = (names.size() + workers - 1) / workers;
    for (std::size_t begin = chunk; begin < names.size(); begin += chunk) {
      threads.emplace_back(work, begin, std::min(names.size(), begin + chunk));
    }
    work(0, std::min(names.size(), chunk));
    for (auto& t : threads) t.join();
  }
  return !expired;
}

FilterVerdict NumaDecider::Filter(const nlohmann::json& pod, const protocol::NodeCandidates& nodes,
                                  const DecisionContext& context) {
  FilterVerdict verdict;
  std::string error;
  auto parsed = Parse(pod, &error);
  if (!parsed) {
    verdict.error = "unreadable pod: " + error;
    return verdict;
  }
  if (!NeedsAlignment(parsed->requests)) {
    verdict.feasible = nodes.names;
    return verdict;
  }
  std::vector<NodeEvaluation> evaluations;
  std::vector<std::shared_ptr<const NodeState>> states;
  if (!EvaluateAll(*parsed, nodes.names, context, &evaluations, &states)) {
    verdict.error = "filter deadline exceeded";
    return verdict;
  }
  for (std::size_t i = 0; i < nodes.names.size(); ++i) {
    const auto& e = evaluations[i];
    switch (e.fit) {
      case NodeFit::kFits:
        verdict.feasible.push_back(nodes.names[i]);
        break;
      case NodeFit::kFailed:
        verdict.failed[nodes.names[i]] = e.reason;
        break;
      case NodeFit::kUnresolvable:
        verdict.failed_and_unresolvable[nodes.names[i]] = e.reason;
        break;
    }
  }
  return verdict;
}

PrioritizeVerdict NumaDecider::Prioritize(const nlohmann::json& pod,
                                          const protocol::NodeCandidates& nodes,
                                          const DecisionContext& context) {
  PrioritizeVerdict verdict;
  std::string error;
  auto parsed = Parse(pod, &error);
  if (!parsed) {
    verdict.error = "unreadable pod: " + error;
    return verdict;
  }
  if (!NeedsAlignment(parsed->requests)) {
    // Not ours to rank: the same score everywhere leaves the in-tree scores in charge.
    for (const auto& name : nodes.names) verdict.scores.push_back({name, 0});
    return verdict;
  }
  std::vector<NodeEvaluation> evaluations;
  std::vector<std::shared_ptr<const NodeState>> states;
  if (!EvaluateAll(*parsed, nodes.names, context, &evaluations, &states)) {
    verdict.error = "prioritize deadline exceeded";
    return verdict;
  }
  for (std::size_t i = 0; i < nodes.names.size(); ++i) {
    std::int64_t score = 0;
    if (evaluations[i].fit == NodeFit::kFits && evaluations[i].managed) {
      score = ToExtenderScore(NodeScore100(scoring_options_, *states[i]->admitter, parsed->requests,
                                           evaluations[i].result));
    }
    verdict.scores.push_back({nodes.names[i], score});
  }
  return verdict;
}

std::string NumaDecider::Bind(const protocol::BindingArgs& binding, const DecisionContext&) {
  return binder_.Bind(binding);
}

PreemptVerdict NumaDecider::Preempt(const nlohmann::json& pod,
                                    const PreemptionCandidates& candidates,
                                    const DecisionContext&) {
  std::string error;
  auto parsed = Parse(pod, &error);
  if (!parsed) {
    PreemptVerdict verdict;
    verdict.error = "unreadable pod: " + error;
    return verdict;
  }
  if (!NeedsAlignment(parsed->requests)) {
    PreemptVerdict verdict;
    verdict.node_name_to_meta_victims = candidates.by_uid;
    return verdict;
  }
  return EvaluatePreemption(*view_, parsed->requests, parsed->policy, candidates, filter_options_);
}

}  // namespace numalign::extender
