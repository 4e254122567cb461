#include "controller/defragmentation/eviction_planner.h"

#include <algorithm>
#include <functional>
#include <set>
#include <tuple>

namespace numalign::controller {

std::string_view ToString(PlanOutcome outcome) {
  switch (outcome) {
    case PlanOutcome::kPlanned:
      return "planned";
    case PlanOutcome::kAlreadyFits:
      return "already-fits";
    case PlanOutcome::kInsufficientTotal:
      return "insufficient-total";
    case PlanOutcome::kNothingMovable:
      return "nothing-movable";
    case PlanOutcome::kBlockedByPriority:
      return "blocked-by-priority";
    case PlanOutcome::kBlockedByPdb:
      return "blocked-by-pdb";
    case PlanOutcome::kNoPlan:
      return "no-plan";
  }
  return "unknown";
}

namespace {

struct Constraints {
  bool priority = true;
  bool pdb = true;
};

// The NRT zone names of an admitted pod's NUMA affinity (union over its containers).
std::string ZonesOf(const numa::AdmitResult& result) {
  std::set<int> ids;
  for (const auto& [container, hint] : result.hints) {
    if (hint.numa_nodes) ids.insert(hint.numa_nodes->begin(), hint.numa_nodes->end());
  }
  std::string zones;
  for (int id : ids) zones += (zones.empty() ? "node-" : ",node-") + std::to_string(id);
  return zones;
}

// Whether the node's kubelet admits the pod once `evicted` are gone, and where.
std::optional<std::string> AdmittedZoneAfter(const NodeModel& node, const numa::PodRequests& pod,
                                             const std::vector<const PodFootprint*>& evicted) {
  numa::NodeAdmitter trial = *node.admitter;  // a copy: the node state is shared
  for (const auto* p : evicted) trial.Remove(p->uid);
  const numa::AdmitResult result = trial.Admit(pod);
  if (!result.admit) return std::nullopt;
  return ZonesOf(result);
}

bool WithinBudgets(const std::vector<const PodFootprint*>& evicted,
                   const std::map<std::string, int>& allowed) {
  std::map<std::string, int> used;
  for (const auto* pod : evicted) {
    for (const auto& pdb : pod->pdbs) {
      auto it = allowed.find(pdb);
      if (++used[pdb] > (it == allowed.end() ? 0 : it->second)) return false;
    }
  }
  return true;
}

std::vector<const NodeModel*> SortedNodes(const PlanRequest& request) {
  std::vector<const NodeModel*> nodes;
  for (const auto& n : request.nodes) {
    if (n.admitter) nodes.push_back(&n);
  }
  std::sort(nodes.begin(), nodes.end(), [](auto* a, auto* b) { return a->name < b->name; });
  return nodes;
}

EvictionPlan Search(const PlanRequest& request, const std::vector<const NodeModel*>& nodes,
                    Constraints constraints) {
  std::vector<std::vector<const PodFootprint*>> candidates(nodes.size());
  bool any_candidate = false;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& pod : nodes[i]->pods) {
      if (!pod.movable || !nodes[i]->admitter->HasPod(pod.uid)) continue;
      if (constraints.priority && pod.priority >= request.priority) continue;
      candidates[i].push_back(&pod);
    }
    std::sort(candidates[i].begin(), candidates[i].end(), [](auto* a, auto* b) {
      return std::tie(a->priority, a->ns, a->name) < std::tie(b->priority, b->ns, b->name);
    });
    if (static_cast<int>(candidates[i].size()) > request.max_candidates_per_node) {
      candidates[i].resize(request.max_candidates_per_node);
    }
    any_candidate |= !candidates[i].empty();
  }
  if (!any_candidate) return {PlanOutcome::kNothingMovable, "", "", {}};

  for (int k = 1; k <= request.max_evictions; ++k) {
    std::optional<EvictionPlan> best;
    std::int64_t best_priority_sum = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const auto& pool = candidates[i];
      if (static_cast<int>(pool.size()) < k) continue;
      std::vector<const PodFootprint*> chosen;
      // Depth-first over k-combinations of the pool, in a fixed order.
      std::function<void(std::size_t)> visit = [&](std::size_t from) {
        if (static_cast<int>(chosen.size()) == k) {
          std::int64_t sum = 0;
          for (auto* p : chosen) sum += p->priority;
          if (best && sum >= best_priority_sum) return;
          if (constraints.pdb && !WithinBudgets(chosen, request.pdb_disruptions_allowed)) return;
          auto zone = AdmittedZoneAfter(*nodes[i], request.pod, chosen);
          if (!zone) return;
          EvictionPlan plan{PlanOutcome::kPlanned, nodes[i]->name, *zone, {}};
          for (auto* p : chosen) plan.evictions.push_back(*p);
          best = std::move(plan);
          best_priority_sum = sum;
          return;
        }
        for (std::size_t j = from; j < pool.size(); ++j) {
          chosen.push_back(pool[j]);
          visit(j + 1);
          chosen.pop_back();
        }
      };
      visit(0);
    }
    if (best) return *best;
  }
  return {PlanOutcome::kNoPlan, "", "", {}};
}

}  // namespace

EvictionPlan PlanEvictions(const PlanRequest& request) {
  const auto nodes = SortedNodes(request);
  if (nodes.empty()) return {PlanOutcome::kNoPlan, "", "", {}};
  for (const auto* node : nodes) {
    if (auto zone = AdmittedZoneAfter(*node, request.pod, {})) {
      return {PlanOutcome::kAlreadyFits, node->name, *zone, {}};
    }
  }
  // If no node admits the pod even emptied of every pod it holds, no eviction can help.
  bool room_somewhere = false;
  for (const auto* node : nodes) {
    std::vector<const PodFootprint*> everyone;
    for (const auto& p : node->pods) everyone.push_back(&p);
    room_somewhere = room_somewhere || AdmittedZoneAfter(*node, request.pod, everyone);
  }
  if (!room_somewhere) return {PlanOutcome::kInsufficientTotal, "", "", {}};
  EvictionPlan plan = Search(request, nodes, {});
  if (plan.outcome != PlanOutcome::kNoPlan && plan.outcome != PlanOutcome::kNothingMovable) {
    return plan;
  }
  // Explain the failure: would a plan exist without the budgets, or without the priorities?
  if (Search(request, nodes, {.priority = true, .pdb = false}).outcome == PlanOutcome::kPlanned) {
    return {PlanOutcome::kBlockedByPdb, "", "", {}};
  }
  if (Search(request, nodes, {.priority = false, .pdb = true}).outcome == PlanOutcome::kPlanned) {
    return {PlanOutcome::kBlockedByPriority, "", "", {}};
  }
  return plan;
}

}  // namespace numalign::controller
