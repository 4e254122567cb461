#include "extender/decider/numa_decider.h"

#include <algorithm>
#include <atomic>
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
                                                         std::string* error) const {
  auto spec = numa::ParsePodJson(pod, error);
  if (!spec) return std::nullopt;
  ParsedPod parsed{numa::ComputePodRequests(*spec), std::nullopt, {}};
  if (auto asked = kube::AnnotationOf(pod, kPodTopologyPolicyAnnotation)) {
    parsed.policy = ParseTopologyPolicyName(*asked);
    if (!parsed.policy) {
      *error = std::string(kPodTopologyPolicyAnnotation) + ": unknown policy \"" + *asked +
               "\" (none, best-effort, restricted, single-numa-node)";
      return std::nullopt;
    }
  }
  parsed.shape = shape_ids_.IdOf(ShapeKey(parsed));
  return parsed;
}

std::string NumaDecider::ShapeKey(const ParsedPod& pod) const {
  const numa::PodRequests& r = pod.requests;
  std::string key;
  key.reserve(128);
  auto add = [&key](const auto& value) {
    key += std::to_string(value);
    key += ',';
  };
  auto add_memory = [&key](const numa::MemoryRequest& memory) {
    for (const auto& [resource, bytes] : memory)
      key += resource + "=" + std::to_string(bytes) + ",";
    key += ';';
  };
  add(static_cast<int>(r.qos));
  add(r.init_count);
  add(r.pod_exclusive_cpus);
  add_memory(r.pod_memory);
  key += r.pod_memory_error.value_or("") + "|";
  for (const auto& c : r.containers) {
    key += c.name + ":";
    add(static_cast<int>(c.role));
    add(c.exclusive_cpus);
    add(c.has_cpu_request ? 1 : 0);
    add_memory(c.memory);
    key += c.memory_error.value_or("") + "|";
  }
  add(pod.policy ? static_cast<int>(*pod.policy) : -1);
  add(static_cast<int>(filter_options_.unmanaged));
  add(static_cast<int>(scoring_options_.strategy));
  add(scoring_options_.max_numa_nodes);
  for (const auto& [resource, weight] : scoring_options_.weights) {
    key += resource + "=" + std::to_string(weight) + ",";
  }
  return key;
}

CachedVerdict NumaDecider::Evaluate(const NodeState* state, const ParsedPod& pod) const {
  NodeEvaluation e = EvaluateNode(state, pod.requests, pod.policy, filter_options_);
  CachedVerdict verdict{e.fit, std::move(e.reason), e.managed, 0};
  if (e.fit == NodeFit::kFits && e.managed) {
    verdict.score =
        ToExtenderScore(NodeScore100(scoring_options_, *state->admitter, pod.requests, e.result));
  }
  return verdict;
}

bool NumaDecider::VerdictsFor(const ParsedPod& pod, const std::vector<std::string>& names,
                              const DecisionContext& context, Verdicts* out) const {
  out->states = view_->GetMany(names);
  out->of_node.assign(names.size(), nullptr);
  const auto& states = out->states;
  const std::size_t uid_hash = std::hash<std::string>{}(pod.requests.uid);
  // A pod already accounted on a node is admitted there against itself: never memoized.
  auto memo_of = [&](const NodeState* state) -> NodeVerdicts* {
    if (!state || !state->verdicts || state->Accounts(pod.requests.uid, uid_hash)) return nullptr;
    return state->verdicts.get();
  };
  std::vector<std::size_t> misses;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (const NodeVerdicts* memo = memo_of(states[i].get())) {
      if (const CachedVerdict* hit = memo->Find(pod.shape)) {
        out->of_node[i] = hit;
        continue;
      }
    }
    misses.push_back(i);
  }
  out->unmemoized.resize(misses.size());
  std::atomic<bool> expired = false;
  auto work = [&](std::size_t begin, std::size_t end) {
    for (std::size_t m = begin; m < end; ++m) {
      // Checking the clock every 32 nodes keeps its cost out of the per-node path.
      if (m % 32 == 0 && context.expired()) {
        expired = true;
        return;
      }
      const std::size_t i = misses[m];
      const NodeState* state = states[i].get();
      CachedVerdict verdict = Evaluate(state, pod);
      if (NodeVerdicts* memo = memo_of(state)) {
        out->of_node[i] = memo->Store(pod.shape, verdict);
      }
      if (!out->of_node[i]) {
        out->unmemoized[m] = std::make_unique<const CachedVerdict>(std::move(verdict));
        out->of_node[i] = out->unmemoized[m].get();
      }
    }
  };
  std::size_t workers = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  if (misses.size() < kParallelThreshold || workers == 1) {
    work(0, misses.size());
  } else {
    std::vector<std::thread> threads;
    std::size_t chunk = (misses.size() + workers - 1) / workers;
    for (std::size_t begin = chunk; begin < misses.size(); begin += chunk) {
      threads.emplace_back(work, begin, std::min(misses.size(), begin + chunk));
    }
    work(0, std::min(misses.size(), chunk));
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
  Verdicts verdicts;
  if (!VerdictsFor(*parsed, nodes.names, context, &verdicts)) {
    verdict.error = "filter deadline exceeded";
    return verdict;
  }
  verdict.feasible.reserve(nodes.names.size());
  for (std::size_t i = 0; i < nodes.names.size(); ++i) {
    const CachedVerdict& v = *verdicts.of_node[i];
    switch (v.fit) {
      case NodeFit::kFits:
        verdict.feasible.push_back(nodes.names[i]);
        break;
      case NodeFit::kFailed:
        verdict.failed.emplace_hint(verdict.failed.end(), nodes.names[i], v.reason);
        break;
      case NodeFit::kUnresolvable:
        verdict.failed_and_unresolvable.emplace_hint(verdict.failed_and_unresolvable.end(),
                                                     nodes.names[i], v.reason);
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
  Verdicts verdicts;
  if (!VerdictsFor(*parsed, nodes.names, context, &verdicts)) {
    verdict.error = "prioritize deadline exceeded";
    return verdict;
  }
  verdict.scores.reserve(nodes.names.size());
  for (std::size_t i = 0; i < nodes.names.size(); ++i) {
    const CachedVerdict& v = *verdicts.of_node[i];
    verdict.scores.push_back(
        {nodes.names[i], v.fit == NodeFit::kFits && v.managed ? v.score : std::int64_t(0)});
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
