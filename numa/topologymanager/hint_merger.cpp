#include "numa/topologymanager/hint_merger.h"

#include <algorithm>
#include <cstdint>
#include <unordered_set>

namespace numalign::numa {
namespace {

// Dense re-indexing of the default mask's bits so subset transforms work on 2^n arrays.
class DenseBits {
 public:
  explicit DenseBits(NumaMask all) {
    for (std::uint64_t b = all.value(); b != 0; b &= b - 1)
      positions_.push_back(std::countr_zero(b));
  }
  int size() const { return static_cast<int>(positions_.size()); }
  std::uint32_t Compress(std::uint64_t mask) const {
    std::uint32_t out = 0;
    for (int i = 0; i < size(); ++i) {
      if ((mask >> positions_[i]) & 1U) out |= 1U << i;
    }
    return out;
  }
  std::uint64_t Expand(std::uint32_t dense) const {
    std::uint64_t out = 0;
    for (int i = 0; i < size(); ++i) {
      if ((dense >> i) & 1U) out |= std::uint64_t{1} << positions_[i];
    }
    return out;
  }

 private:
  std::vector<int> positions_;
};

// Largest dense width for which the transform arrays are allocated (2^20 entries).
constexpr int kMaxTransformBits = 20;

void SupersetZeta(std::vector<std::int64_t>& f, int n) {
  const std::uint32_t size = 1U << n;
  for (int i = 0; i < n; ++i) {
    const std::uint32_t bit = 1U << i;
    for (std::uint32_t m = 0; m < size; ++m) {
      if (!(m & bit)) f[m] += f[m | bit];
    }
  }
}

void SupersetMobius(std::vector<std::int64_t>& f, int n) {
  const std::uint32_t size = 1U << n;
  for (int i = 0; i < n; ++i) {
    const std::uint32_t bit = 1U << i;
    for (std::uint32_t m = 0; m < size; ++m) {
      if (!(m & bit)) f[m] -= f[m | bit];
    }
  }
}

// Every mask reachable as the AND of one hint per list (nil counting as the default mask).
std::vector<std::uint64_t> AchievableAnds(const HintLists& lists, NumaMask default_mask) {
  std::vector<std::uint64_t> current{default_mask.value()};
  const DenseBits dense(default_mask);
  const int n = dense.size();
  for (const auto& list : lists) {
    std::vector<std::uint64_t> masks;
    masks.reserve(list.size());
    for (const auto& h : list) {
      masks.push_back(h.affinity ? (h.affinity->value() & default_mask.value())
                                 : default_mask.value());
    }
    std::sort(masks.begin(), masks.end());
    masks.erase(std::unique(masks.begin(), masks.end()), masks.end());
    const double direct_cost = static_cast<double>(current.size()) * masks.size();
    const double transform_cost = 3.0 * n * static_cast<double>(1ULL << std::min(n, 40));
    if (n <= kMaxTransformBits && direct_cost > transform_cost) {
      // AND-convolution: counts of pairs whose AND contains m, multiplied, then inverted.
      const std::uint32_t size = 1U << n;
      std::vector<std::int64_t> a(size, 0);
      std::vector<std::int64_t> b(size, 0);
      for (auto m : current) a[dense.Compress(m)] = 1;
      for (auto m : masks) b[dense.Compress(m)] = 1;
      SupersetZeta(a, n);
      SupersetZeta(b, n);
      for (std::uint32_t m = 0; m < size; ++m) a[m] *= b[m];
      SupersetMobius(a, n);
      current.clear();
      for (std::uint32_t m = 0; m < size; ++m) {
        if (a[m] > 0) current.push_back(dense.Expand(m));
      }
    } else {
      std::unordered_set<std::uint64_t> next;
      next.reserve(current.size() * 2);
      for (auto c : current) {
        for (auto m : masks) next.insert(c & m);
      }
      current.assign(next.begin(), next.end());
    }
  }
  return current;
}

bool ContainsPreferred(const std::vector<std::uint64_t>& sorted_preferred, std::uint64_t mask) {
  return std::binary_search(sorted_preferred.begin(), sorted_preferred.end(), mask);
}

}  // namespace

HintLists NormalizeProviderHints(const std::vector<ProviderHints>& providers) {
  HintLists lists;
  for (const auto& p : providers) {
    if (p.by_resource.empty()) {
      lists.push_back({TopologyHint{std::nullopt, true}});
      continue;
    }
    for (const auto& [resource, hints] : p.by_resource) {
      if (!hints) {
        lists.push_back({TopologyHint{std::nullopt, true}});
      } else if (hints->empty()) {
        lists.push_back({TopologyHint{std::nullopt, false}});
      } else {
        lists.push_back(*hints);
      }
    }
  }
  return lists;
}

HintLists NormalizeProviderHints(std::vector<ProviderHints>&& providers) {
  HintLists lists;
  for (auto& p : providers) {
    if (p.by_resource.empty()) {
      lists.push_back({TopologyHint{std::nullopt, true}});
      continue;
    }
    for (auto& [resource, hints] : p.by_resource) {
      if (!hints) {
        lists.push_back({TopologyHint{std::nullopt, true}});
      } else if (hints->empty()) {
        lists.push_back({TopologyHint{std::nullopt, false}});
      } else {
        lists.push_back(std::move(*hints));
      }
    }
  }
  return lists;
}

int BestNonPreferredAffinityCount(const HintLists& lists) {
  int best = 0;
  for (const auto& list : lists) {
    int narrowest = -1;
    for (const auto& h : list) {
      if (!h.affinity) continue;
      if (narrowest < 0 || h.affinity->Count() < narrowest) narrowest = h.affinity->Count();
    }
    best = std::max(best, narrowest);
  }
  return best;
}

TopologyHint MergeHints(const HintLists& lists, NumaMask default_mask, const MaskFitness& fitness) {
  for (const auto& list : lists) {
    if (list.empty()) return TopologyHint{default_mask, false};  // no permutation at all
  }
  // 1. Preferred candidates: every list offers (M,T) or (nil,T), and one list offers (M,T).
  std::vector<std::vector<std::uint64_t>> preferred(lists.size());
  std::vector<bool> nil_preferred(lists.size(), false);
  int driver = -1;
  for (std::size_t i = 0; i < lists.size(); ++i) {
    for (const auto& h : lists[i]) {
      if (!h.preferred) continue;
      if (!h.affinity) {
        nil_preferred[i] = true;
      } else {
        preferred[i].push_back(h.affinity->value() & default_mask.value());
      }
    }
    std::sort(preferred[i].begin(), preferred[i].end());
    preferred[i].erase(std::unique(preferred[i].begin(), preferred[i].end()), preferred[i].end());
    if (!nil_preferred[i] && (driver < 0 || preferred[i].size() < preferred[driver].size())) {
      driver = static_cast<int>(i);
    }
  }
  std::vector<std::uint64_t> candidates;
  if (driver >= 0) {
    candidates = preferred[driver];
  } else {
    for (const auto& p : preferred) candidates.insert(candidates.end(), p.begin(), p.end());
    candidates.push_back(default_mask.value());  // every list has (nil,T)
  }
  std::optional<NumaMask> best_preferred;
  for (std::uint64_t c : candidates) {
    if (c == 0) continue;
    bool everywhere = true;
    for (std::size_t i = 0; i < lists.size() && everywhere; ++i) {
      everywhere = nil_preferred[i] || ContainsPreferred(preferred[i], c);
    }
    if (!everywhere) continue;
    if (!best_preferred || fitness.Fitter(NumaMask(c), *best_preferred))
      best_preferred = NumaMask(c);
  }
  if (best_preferred) return TopologyHint{*best_preferred, true};

  // 2. No preferred candidate: rank the non-empty AND results around
  //    B = BestNonPreferredAffinityCount (count == B first, then the largest count below B, then
  //    the smallest count above B; ties by fitness). This is the total order the kubelet's
  //    pairwise compare() implements, so walk order does not matter.
  const int b = BestNonPreferredAffinityCount(lists);
  auto rank = [b](NumaMask m) {
    const int k = m.Count();
    if (k == b) return std::pair<int, int>{0, 0};
    if (k < b) return std::pair<int, int>{1, b - k};
    return std::pair<int, int>{2, k - b};
  };
  std::optional<NumaMask> best;
  for (std::uint64_t v : AchievableAnds(lists, default_mask)) {
    if (v == 0) continue;
    NumaMask m(v);
    if (!best) {
      best = m;
      continue;
    }
    const auto rm = rank(m);
    const auto rb = rank(*best);
    if (rm < rb || (rm == rb && fitness.Fitter(m, *best))) best = m;
  }
  if (!best) return TopologyHint{default_mask, false};
  return TopologyHint{*best, false};
}

}  // namespace numalign::numa
