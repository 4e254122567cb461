#include <cfloat>
#include <cmath>
#include <map>

#include "numa/cpumanager/go_combinations.h"
#include "numa/cpumanager/take_by_topology.h"

namespace numalign::numa {
namespace {

// Free CPUs per NUMA node, keyed by node id (the kubelet's mapIntInt).
using FreePerNuma = std::map<int, int>;

double RoundTo3Decimals(double value) {
  return std::round(value * 1000) / 1000;
}

// The kubelet's balance score: the population standard deviation of free CPUs per node, with the
// mean and the result each rounded to 3 decimals.
double StandardDeviation(const FreePerNuma& free) {
  if (free.empty()) return 0;
  double sum = 0;
  for (const auto& [numa, count] : free) sum += count;
  const double mean = RoundTo3Decimals(sum / static_cast<double>(free.size()));
  double squares = 0;
  for (const auto& [numa, count] : free) squares += (count - mean) * (count - mean);
  return RoundTo3Decimals(std::sqrt(squares / static_cast<double>(free.size())));
}

// Takes `group_size` CPUs at a time from the nodes of `subset`, round-robin, until `remainder` is
// handed out. Returns false when no node can give a group any more (the kubelet would spin here
// forever; it never happens for inputs it accepts).
bool HandOutRemainder(const std::vector<int>& subset, int group_size, int remainder,
                      FreePerNuma& free) {
  while (remainder > 0) {
    bool progressed = false;
    for (int numa : subset) {
      if (remainder == 0) break;
      if (free[numa] < group_size) continue;
      free[numa] -= group_size;
      remainder -= group_size;
      progressed = true;
    }
    if (!progressed) return false;
  }
  return true;
}

struct Choice {
  double balance = DBL_MAX;
  GoIntSlice combo;
  GoIntSlice remainder_nodes;
};

// Scores one combination of NUMA nodes; updates `best` when it is strictly better.
void ScoreCombination(const CpuAccumulator& acc, const std::vector<int>& numas,
                      const FreePerNuma& free_now, const GoIntSlice& combo_slice, int count,
                      int group_size, Choice& best) {
  const CpuTopology& topo = acc.Topology();
  const std::vector<int> combo = combo_slice.Values();
  const int k = static_cast<int>(combo.size());
  if (topo.CpusInNumas(combo).IntersectionSize(acc.Free()) < static_cast<std::size_t>(count)) {
    return;
  }
  int groups = 0;
  for (int numa : combo) groups += free_now.at(numa) / group_size;
  if (groups * group_size < count) return;
  const int distribution = (count / k / group_size) * group_size;
  for (int numa : combo) {
    if (free_now.at(numa) < distribution) return;
  }

  FreePerNuma after;
  for (int numa : numas) after[numa] = free_now.at(numa);
  for (int numa : combo) after[numa] -= distribution;
  const int remainder = count - distribution * k;

  std::vector<int> remainder_candidates;
  for (int numa : combo) {
    if (after[numa] >= group_size) remainder_candidates.push_back(numa);
  }

  double local_best = DBL_MAX;
  GoIntSlice local_remainder;
  if (remainder == 0) local_best = StandardDeviation(after);
  // Larger remainder subsets first, so the remainder stays spread over as many nodes as possible.
  for (int size = static_cast<int>(remainder_candidates.size()); remainder > 0 && size >= 1;
       --size) {
    IterateGoCombinations(remainder_candidates, size, [&](const GoIntSlice& subset_slice) {
      const std::vector<int> subset = subset_slice.Values();
      FreePerNuma trial = after;
      int capacity = 0;
      for (int numa : subset) capacity += trial[numa];
      if (capacity < remainder) return true;
      if (!HandOutRemainder(subset, group_size, remainder, trial)) return true;
      const double balance = StandardDeviation(trial);
      if (balance < local_best) {
        local_best = balance;
        local_remainder = subset_slice;
      }
      return true;
    });
  }
  if (local_best < best.balance) {
    best.balance = local_best;
    best.combo = combo_slice;
    best.remainder_nodes = local_remainder;
  }
}

}  // namespace

TakeResult TakeByTopologyNumaDistributed(const CpuTopology& topo, const CpuSet& available,
                                         int count, int group_size, CpuSortingStrategy strategy) {
  if (group_size < 1) group_size = 1;
  // Requests that cannot be cut into whole groups are packed instead.
  if (count % group_size != 0) return TakeByTopologyNumaPacked(topo, available, count, strategy);

  CpuAccumulator acc(topo, available, count, strategy);
  if (acc.IsSatisfied()) return {};
  if (acc.IsFailed()) {
    return {CpuSet(),
            "not enough cpus available to satisfy request: requested=" + std::to_string(count) +
                ", available=" + std::to_string(available.size())};
  }

  const std::vector<int> numas = acc.SortedNumaNodes();
  FreePerNuma free_now;
  for (int numa : numas) {
    free_now[numa] = static_cast<int>(topo.CpusInNuma(numa).IntersectionSize(acc.Free()));
  }
  const auto [min_numas, max_numas] = acc.RangeNumaNodesNeeded(group_size);

  for (int k = min_numas; k <= max_numas; ++k) {
    Choice best;
    IterateGoCombinations(numas, k, [&](const GoIntSlice& combo) {
      // A perfectly balanced choice cannot be beaten.
      if (best.balance == 0) return false;
      ScoreCombination(acc, numas, free_now, combo, count, group_size, best);
      return true;
    });
    if (best.combo.is_nil()) continue;

    // Read the kept subsets only now, as the kubelet does (see go_combinations.h).
    const std::vector<int> combo = best.combo.Values();
    const std::vector<int> remainder_nodes = best.remainder_nodes.Values();
    const int distribution = (count / static_cast<int>(combo.size()) / group_size) * group_size;
    for (int numa : combo) {
      const CpuSet in_numa = acc.Free().Intersection(topo.CpusInNuma(numa));
      acc.Take(TakeByTopologyNumaPacked(topo, in_numa, distribution, strategy).cpus);
    }
    int remainder = count - distribution * static_cast<int>(combo.size());
    while (remainder > 0) {
      bool progressed = false;
      for (int numa : remainder_nodes) {
        if (remainder == 0) break;
        const CpuSet in_numa = acc.Free().Intersection(topo.CpusInNuma(numa));
        if (in_numa.size() < static_cast<std::size_t>(group_size)) continue;
        acc.Take(TakeByTopologyNumaPacked(topo, in_numa, group_size, strategy).cpus);
        remainder -= group_size;
        progressed = true;
      }
      if (!progressed) break;
    }
    if (acc.Needed() > 0) {
      return {CpuSet(), "accounting error, not enough CPUs allocated, remaining: " +
                            std::to_string(acc.Needed())};
    }
    if (acc.Needed() < 0) {
      return {CpuSet(), "accounting error, too many CPUs allocated, remaining: " +
                            std::to_string(acc.Needed())};
    }
    return {acc.Result(), ""};
  }
  // No combination of NUMA nodes can hold an even distribution: pack instead.
  return TakeByTopologyNumaPacked(topo, available, count, strategy);
}

}  // namespace numalign::numa
