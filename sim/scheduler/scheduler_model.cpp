#include "sim/scheduler/scheduler_model.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace numalign::sim {
namespace {

constexpr std::int64_t kMaxNodeScore = extender::protocol::kMaxNodeScore;
constexpr std::int64_t kMaxExtenderPriority = extender::protocol::kMaxExtenderPriority;

double MicrosSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
      .count();
}

std::int64_t Get(const ResourceList& list, const std::string& key) {
  auto it = list.find(key);
  return it == list.end() ? 0 : it->second;
}

// leastRequestedScore: integer arithmetic as upstream.
std::int64_t LeastRequested(std::int64_t requested, std::int64_t capacity) {
  if (capacity == 0 || requested > capacity) return 0;
  return (capacity - requested) * kMaxNodeScore / capacity;
}

std::string UnschedulableMessage(std::size_t nodes, const std::map<std::string, int>& reasons) {
  // kube-scheduler's FitError: "0/N nodes are available: <count> <reason>, ... ." with the
  // reasons sorted.
  std::string out = "0/" + std::to_string(nodes) + " nodes are available";
  std::vector<std::string> parts;
  for (const auto& [reason, count] : reasons) parts.push_back(std::to_string(count) + " " + reason);
  std::sort(parts.begin(), parts.end());
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? ": " : ", ") + parts[i];
  return out + ".";
}

}  // namespace

SchedulerModel::SchedulerModel(std::vector<Node> nodes, ExtenderClient* extender,
                               TopologyPlugin* plugin)
    : nodes_(std::move(nodes)), extender_(extender), plugin_(plugin) {
  for (std::size_t i = 0; i < nodes_.size(); ++i) index_[nodes_[i].name] = i;
  requested_.resize(nodes_.size());
  non_zero_requested_.resize(nodes_.size());
}

std::size_t SchedulerModel::FeasibleNodesToFind(std::size_t all_nodes) {
  constexpr std::size_t kMinFeasibleNodesToFind = 100;
  constexpr std::int64_t kMinFeasibleNodesPercentageToFind = 5;
  constexpr std::int64_t kBasePercentageOfNodesToScore = 50;
  if (all_nodes < kMinFeasibleNodesToFind) return all_nodes;
  std::int64_t percentage =
      kBasePercentageOfNodesToScore - static_cast<std::int64_t>(all_nodes) / 125;
  percentage = std::max(percentage, kMinFeasibleNodesPercentageToFind);
  std::size_t n = all_nodes * static_cast<std::size_t>(percentage) / 100;
  return std::max(n, kMinFeasibleNodesToFind);
}

std::optional<std::string> SchedulerModel::Fits(std::size_t node,
                                                const ResourceList& requests) const {
  const ResourceList& allocatable = nodes_[node].allocatable;
  const ResourceList& used = requested_[node];
  if (Get(used, "pods") + 1 > Get(allocatable, "pods")) return "Too many pods";
  for (const auto& [resource, amount] : requests) {
    if (resource == "pods" || amount == 0) continue;
    if (amount > Get(allocatable, resource) - Get(used, resource)) {
      return "Insufficient " + resource;
    }
  }
  return std::nullopt;
}

std::int64_t SchedulerModel::ScoreInTree(std::size_t node, const ResourceList& requests,
                                         const ResourceList& non_zero) const {
  const ResourceList& allocatable = nodes_[node].allocatable;
  // NodeResourcesFit, LeastAllocated over cpu and memory (weight 1 each), non-zero requests.
  std::int64_t fit_sum = 0, weights = 0;
  for (const char* r : {"cpu", "memory"}) {
    const std::int64_t alloc = Get(allocatable, r);
    if (alloc == 0) continue;
    fit_sum += LeastRequested(Get(non_zero_requested_[node], r) + Get(non_zero, r), alloc);
    ++weights;
  }
  const std::int64_t fit = weights == 0 ? 0 : fit_sum / weights;
  // NodeResourcesBalancedAllocation over cpu and memory, actual requests.
  std::vector<double> fractions;
  for (const char* r : {"cpu", "memory"}) {
    const std::int64_t alloc = Get(allocatable, r);
    if (alloc == 0) continue;
    double f = static_cast<double>(Get(requested_[node], r) + Get(requests, r)) /
               static_cast<double>(alloc);
    fractions.push_back(std::min(f, 1.0));
  }
  double deviation = 0;
  if (fractions.size() == 2) {
    deviation = std::abs((fractions[0] - fractions[1]) / 2);
  } else if (fractions.size() > 2) {
    double mean = 0;
    for (double f : fractions) mean += f;
    mean /= static_cast<double>(fractions.size());
    for (double f : fractions) deviation += (f - mean) * (f - mean);
    deviation = std::sqrt(deviation / static_cast<double>(fractions.size()));
  }
  const auto balanced = static_cast<std::int64_t>((1 - deviation) * kMaxNodeScore);
  return fit + balanced;
}

SchedulingDecision SchedulerModel::Schedule(const SimPod& pod, const nlohmann::json& pod_object) {
  SchedulingDecision decision;
  const std::size_t n = nodes_.size();
  if (n == 0) {
    decision.reason = "no nodes available to schedule pods";
    return decision;
  }
  const ResourceList requests = PodSchedulingRequests(pod.spec);
  const ResourceList non_zero = PodSchedulingRequests(pod.spec, /*non_zero=*/true);

  // Filter from the rotating start index until enough feasible nodes are found.
  const std::size_t to_find = FeasibleNodesToFind(n);
  std::vector<std::size_t> feasible;
  std::map<std::string, int> reasons;
  std::size_t processed = 0;
  for (std::size_t k = 0; k < n && feasible.size() < to_find; ++k) {
    const std::size_t i = (next_start_ + k) % n;
    ++processed;
    if (auto why = Fits(i, requests)) {
      ++reasons[*why];
      continue;
    }
    if (plugin_ != nullptr) {
      if (auto why = plugin_->Filter(pod, nodes_[i].name)) {
        ++reasons[*why];
        continue;
      }
    }
    feasible.push_back(i);
  }
  next_start_ = (next_start_ + processed) % n;

  extender::protocol::ExtenderArgs args;
  if (!feasible.empty() && extender_ != nullptr) {
    args.pod = pod_object;
    for (std::size_t i : feasible) args.nodes.names.push_back(nodes_[i].name);
    const auto start = std::chrono::steady_clock::now();
    extender::protocol::FilterResult result = extender_->Filter(args);
    decision.extender_latency_us.push_back(MicrosSince(start));
    if (!result.error.empty()) {
      // numalign's extender is not ignorable: the attempt fails and the pod waits.
      decision.reason = "extender filter failed: " + result.error;
      return decision;
    }
    for (const auto& [node, why] : result.failed_nodes) ++reasons[why];
    for (const auto& [node, why] : result.failed_and_unresolvable_nodes) ++reasons[why];
    feasible.clear();
    for (const auto& name : result.node_names) {
      if (auto it = index_.find(name); it != index_.end()) feasible.push_back(it->second);
    }
    args.nodes.names = result.node_names;
  }
  if (feasible.empty()) {
    decision.reason = UnschedulableMessage(n, reasons);
    return decision;
  }

  std::size_t chosen = feasible.front();
  if (feasible.size() > 1) {  // a single feasible node is taken without scoring
    std::map<std::string, std::int64_t> totals;
    for (std::size_t i : feasible) {
      std::int64_t score = ScoreInTree(i, requests, non_zero);
      if (plugin_ != nullptr) score += plugin_->Score(pod, nodes_[i].name) * plugin_->Weight();
      totals[nodes_[i].name] = score;
    }
    if (extender_ != nullptr) {
      const auto start = std::chrono::steady_clock::now();
      PrioritizeReply reply = extender_->Prioritize(args);
      decision.extender_latency_us.push_back(MicrosSince(start));
      if (reply.error.empty()) {  // a failed prioritize only loses this extender's scores
        for (const auto& hp : reply.scores) {
          auto it = totals.find(hp.host);
          if (it == totals.end()) continue;
          it->second += hp.score * extender_->Weight() * (kMaxNodeScore / kMaxExtenderPriority);
        }
      }
    }
    // Highest total, ties to the lowest name (std::map iterates names in order).
    std::int64_t best = -1;
    std::string best_name;
    for (const auto& [name, score] : totals) {
      if (score > best) {
        best = score;
        best_name = name;
      }
    }
    chosen = index_.at(best_name);
  }
  const std::string& node = nodes_[chosen].name;

  if (plugin_ != nullptr) plugin_->Reserve(pod, node);
  if (extender_ != nullptr) {
    extender::protocol::BindingArgs binding{pod.spec.name, pod.spec.namespace_name,
                                            pod_object.value("/metadata/uid"_json_pointer, ""),
                                            node};
    const auto start = std::chrono::steady_clock::now();
    extender::protocol::BindingResult bound = extender_->Bind(binding);
    decision.extender_latency_us.push_back(MicrosSince(start));
    if (!bound.error.empty()) {
      if (plugin_ != nullptr) plugin_->Unreserve(pod, node);
      decision.reason = "binding rejected: " + bound.error;
      return decision;
    }
    decision.extender_bound = true;
  }
  Add(chosen, pod.spec.Key(), requests, non_zero);
  decision.node = node;
  return decision;
}

void SchedulerModel::Add(std::size_t node, const std::string& key, const ResourceList& requests,
                         const ResourceList& non_zero) {
  for (const auto& [r, v] : requests) requested_[node][r] += v;
  for (const auto& [r, v] : non_zero) non_zero_requested_[node][r] += v;
  assumed_[key] = Assumed{node, requests, non_zero};
}

bool SchedulerModel::RemovePod(const std::string& pod_key) {
  auto it = assumed_.find(pod_key);
  if (it == assumed_.end()) return false;
  for (const auto& [r, v] : it->second.requests) requested_[it->second.node][r] -= v;
  for (const auto& [r, v] : it->second.non_zero) non_zero_requested_[it->second.node][r] -= v;
  assumed_.erase(it);
  return true;
}

const ResourceList& SchedulerModel::Requested(const std::string& node) const {
  return requested_.at(index_.at(node));
}

}  // namespace numalign::sim
