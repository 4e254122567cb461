#include "numa/topologymanager/topology_policy.h"

namespace numalign::numa {

std::optional<TopologyPolicy> TopologyPolicy::Create(TopologyPolicyName policy,
                                                     const TopologyPolicyOptions& options,
                                                     const Machine& machine, const NumaIdMap& ids,
                                                     std::string* error) {
  TopologyPolicy p;
  p.policy_ = policy;
  p.options_ = options;
  p.default_mask_ = ids.All();
  const int nodes = static_cast<int>(ids.Ids().size());
  if (policy != TopologyPolicyName::kNone && nodes > options.max_allowable_numa_nodes) {
    if (error) {
      *error = "unsupported on machines with more than " +
               std::to_string(options.max_allowable_numa_nodes) + " NUMA Nodes";
    }
    return std::nullopt;
  }
  // prefer-closest never applies to single-numa-node (the merger compares narrowest there).
  if (options.prefer_closest_numa_nodes && policy != TopologyPolicyName::kSingleNumaNode) {
    int max_pos = 0;
    for (int pos : ids.Positions()) max_pos = std::max(max_pos, pos);
    std::vector<std::vector<int>> dist(max_pos + 1, std::vector<int>(max_pos + 1, 0));
    for (int a : ids.Ids()) {
      for (int b : ids.Ids()) {
        auto d = machine.distance(a, b);
        if (!d) {
          if (error) {
            *error = "error getting NUMA distances from cadvisor: no distance from node " +
                     std::to_string(a) + " to node " + std::to_string(b);
          }
          return std::nullopt;
        }
        dist[ids.PositionOf(a)][ids.PositionOf(b)] = *d;
      }
    }
    p.fitness_ = MaskFitness::Closest(std::move(dist));
  }
  return p;
}

PolicyDecision TopologyPolicy::Merge(const std::vector<ProviderHints>& providers) const {
  if (policy_ == TopologyPolicyName::kNone) return PolicyDecision{TopologyHint{}, true};
  return MergeLists(NormalizeProviderHints(providers));
}

PolicyDecision TopologyPolicy::Merge(std::vector<ProviderHints>&& providers) const {
  if (policy_ == TopologyPolicyName::kNone) return PolicyDecision{TopologyHint{}, true};
  return MergeLists(NormalizeProviderHints(std::move(providers)));
}

PolicyDecision TopologyPolicy::MergeLists(HintLists lists) const {
  switch (policy_) {
    case TopologyPolicyName::kNone:
      return PolicyDecision{TopologyHint{}, true};
    case TopologyPolicyName::kBestEffort:
      return PolicyDecision{MergeHints(lists, default_mask_, fitness_), true};
    case TopologyPolicyName::kRestricted: {
      TopologyHint best = MergeHints(lists, default_mask_, fitness_);
      return PolicyDecision{best, best.preferred};
    }
    case TopologyPolicyName::kSingleNumaNode: {
      // Only preferred hints that are nil or exactly one node survive the filter.
      for (auto& list : lists) {
        std::vector<TopologyHint> kept;
        for (const auto& h : list) {
          if (h.preferred && (!h.affinity || h.affinity->Count() == 1)) kept.push_back(h);
        }
        list = std::move(kept);
      }
      TopologyHint best = MergeHints(lists, default_mask_, MaskFitness());
      if (best.affinity && *best.affinity == default_mask_) best.affinity.reset();
      return PolicyDecision{best, best.preferred};
    }
  }
  return PolicyDecision{TopologyHint{}, true};
}

}  // namespace numalign::numa
