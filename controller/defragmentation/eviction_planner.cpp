#include "controller/defragmentation/eviction_planner.h"

#include <algorithm>
#include <functional>
#include <set>

namespace numalign::controller {

std::string_view ToString(PlanOutcome outcome) {
  switch (outcome) {
    case PlanOutcome::kPlanned:
      return "planned";
    case PlanOutcome::kAlreadyFits:
      return "already-fits";
    case PlanOutcome::kNotNumaRelevant:
      return "not-numa-relevant";
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

// The resources of the request that NUMA zones account for on this node.
ResourceAmounts ZoneAccounted(const ResourceAmounts& requests, const NodeModel& node) {
  ResourceAmounts out;
  for (const auto& [resource, amount] : requests) {
    if (amount <= 0) continue;
    for (const auto& [zone, free] : node.zone_free) {
      if (free.contains(resource)) {
        out[resource] = amount;
        break;
      }
    }
  }
  return out;
}

std::optional<std::string> ZoneWithRoom(const NodeModel& node, const ResourceAmounts& needed,
                                        const std::vector<const PodFootprint*>& evicted) {
  for (const auto& [zone, free] : node.zone_free) {
    bool fits = true;
    for (const auto& [resource, amount] : needed) {
      std::int64_t available = free.contains(resource) ? free.at(resource) : 0;
      for (const auto* pod : evicted) {
        auto z = pod->per_zone.find(zone);
        if (z != pod->per_zone.end() && z->second.contains(resource)) {
          available += z->second.at(resource);
        }
      }
      if (available < amount) {
        fits = false;
        break;
      }
    }
    if (fits) return zone;
  }
  return std::nullopt;
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

struct Best {
  std::optional<EvictionPlan> plan;
  std::int64_t priority_sum = 0;
};

EvictionPlan Search(const PlanRequest& request, Constraints constraints) {
  std::vector<const NodeModel*> nodes;
  for (const auto& n : request.nodes) nodes.push_back(&n);
  std::sort(nodes.begin(), nodes.end(), [](auto* a, auto* b) { return a->name < b->name; });

  std::vector<std::vector<const PodFootprint*>> candidates(nodes.size());
  bool any_candidate = false;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& pod : nodes[i]->pods) {
      if (!pod.movable || pod.per_zone.empty()) continue;
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
    Best best;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const auto needed = ZoneAccounted(request.requests, *nodes[i]);
      if (needed.empty()) continue;
      const auto& pool = candidates[i];
      if (static_cast<int>(pool.size()) < k) continue;
      std::vector<const PodFootprint*> chosen;
      // Depth-first over k-combinations of the pool, in a fixed order.
      std::function<void(std::size_t)> visit = [&](std::size_t from) {
        if (static_cast<int>(chosen.size()) == k) {
          if (constraints.pdb && !WithinBudgets(chosen, request.pdb_disruptions_allowed)) return;
          auto zone = ZoneWithRoom(*nodes[i], needed, chosen);
          if (!zone) return;
          std::int64_t sum = 0;
          for (auto* p : chosen) sum += p->priority;
          if (best.plan && sum >= best.priority_sum) return;
          EvictionPlan plan{PlanOutcome::kPlanned, nodes[i]->name, *zone, {}};
          for (auto* p : chosen) plan.evictions.push_back(*p);
          best = {std::move(plan), sum};
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
    if (best.plan) return *best.plan;
  }
  return {PlanOutcome::kNoPlan, "", "", {}};
}

}  // namespace

EvictionPlan PlanEvictions(const PlanRequest& request) {
  bool relevant = false;
  ResourceAmounts total_needed;
  ResourceAmounts total_free;
  for (const auto& node : request.nodes) {
    const auto needed = ZoneAccounted(request.requests, node);
    if (needed.empty()) continue;
    relevant = true;
    for (const auto& [r, v] : needed) total_needed[r] = v;
    if (ZoneWithRoom(node, needed, {})) {
      return {PlanOutcome::kAlreadyFits, node.name, *ZoneWithRoom(node, needed, {}), {}};
    }
    for (const auto& [zone, free] : node.zone_free) {
      for (const auto& [r, v] : free) total_free[r] += std::max<std::int64_t>(v, 0);
    }
  }
  if (!relevant) return {PlanOutcome::kNotNumaRelevant, "", "", {}};
  for (const auto& [r, v] : total_needed) {
    if (total_free[r] < v) return {PlanOutcome::kInsufficientTotal, "", "", {}};
  }
  EvictionPlan plan = Search(request, {});
  if (plan.outcome != PlanOutcome::kNoPlan && plan.outcome != PlanOutcome::kNothingMovable) {
    return plan;
  }
  // Explain the failure: would a plan exist without the budgets, or without the priorities?
  if (Search(request, {.priority = true, .pdb = false}).outcome == PlanOutcome::kPlanned) {
    return {PlanOutcome::kBlockedByPdb, "", "", {}};
  }
  if (Search(request, {.priority = false, .pdb = true}).outcome == PlanOutcome::kPlanned) {
    return {PlanOutcome::kBlockedByPriority, "", "", {}};
  }
  return plan;
}

}  // namespace numalign::controller
