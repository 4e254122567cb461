#include "numa/topologymanager/hint_merger.h"

#include <gtest/gtest.h>

#include <random>

namespace numalign::numa {
namespace {

TopologyHint H(std::initializer_list<int> bits, bool preferred) {
  return TopologyHint{NumaMask::Of(bits), preferred};
}
TopologyHint Nil(bool preferred) {
  return TopologyHint{std::nullopt, preferred};
}

// The kubelet's HintMerger, literally: walk the whole cross product and fold with compare().
// Written independently of the closed form so the two check each other.
TopologyHint ReferenceMerge(const HintLists& lists, NumaMask all, const MaskFitness& fit) {
  const int b = BestNonPreferredAffinityCount(lists);
  std::optional<TopologyHint> best;
  auto fitter = [&](NumaMask current, NumaMask candidate) {
    return fit.Fitter(candidate, current) ? candidate : current;
  };
  auto compare = [&](const TopologyHint& cand) {
    if (cand.affinity->Count() == 0) return;
    if (!best) {
      best = cand;
      return;
    }
    TopologyHint& cur = *best;
    if (!cur.preferred && cand.preferred) {
      cur = cand;
      return;
    }
    if (cur.preferred && !cand.preferred) return;
    if (cur.preferred && cand.preferred) {
      cur.affinity = fitter(*cur.affinity, *cand.affinity);
      return;
    }
    const int c = cur.affinity->Count();
    const int k = cand.affinity->Count();
    if (c > b) {
      cur.affinity = fitter(*cur.affinity, *cand.affinity);
      return;
    }
    if (c == b) {
      if (k != b) return;
      cur.affinity = fitter(*cur.affinity, *cand.affinity);
      return;
    }
    if (k > b) return;
    if (k == b) {
      cur = cand;
      return;
    }
    if (k > c) {
      cur = cand;
      return;
    }
    if (k < c) return;
    cur.affinity = fitter(*cur.affinity, *cand.affinity);
  };
  std::vector<std::size_t> idx(lists.size(), 0);
  for (const auto& l : lists) {
    if (l.empty()) return TopologyHint{all, false};
  }
  while (true) {
    bool preferred = true;
    std::optional<NumaMask> first;
    NumaMask merged = all;
    for (std::size_t i = 0; i < lists.size(); ++i) {
      const TopologyHint& h = lists[i][idx[i]];
      if (h.affinity) {
        if (!first) first = *h.affinity;
        if (*h.affinity != *first) preferred = false;
        merged = merged.And(*h.affinity);
      }
      if (!h.preferred) preferred = false;
    }
    compare(TopologyHint{merged, preferred});
    std::size_t i = 0;
    while (i < lists.size() && ++idx[i] == lists[i].size()) idx[i++] = 0;
    if (i == lists.size()) break;
  }
  return best.value_or(TopologyHint{all, false});
}

TEST(HintMergerTest, E8NoPreferredCandidateUsesBestNonPreferredCount) {
  HintLists lists{{H({0, 1}, false), H({0, 1, 2}, false)},
                  {H({0}, true), H({1}, true), H({0, 1, 2, 3}, false)}};
  EXPECT_EQ(BestNonPreferredAffinityCount(lists), 2);
  EXPECT_EQ(MergeHints(lists, NumaMask::Of({0, 1, 2, 3}), MaskFitness()), H({0, 1}, false));
}

TEST(HintMergerTest, E9PreferClosestUsesAverageDistanceOverSquaredSize) {
  std::vector<std::vector<int>> d{
      {10, 11, 12, 12}, {11, 10, 12, 12}, {12, 12, 10, 11}, {12, 12, 11, 10}};
  HintLists lists{{H({0, 2}, true), H({2, 3}, true), H({1, 2}, true)}};
  const NumaMask all = NumaMask::Of({0, 1, 2, 3});
  EXPECT_EQ(MergeHints(lists, all, MaskFitness()), H({0, 2}, true));
  MaskFitness closest = MaskFitness::Closest(d);
  EXPECT_DOUBLE_EQ(closest.AverageDistance(NumaMask::Of({0, 1})), 10.5);
  EXPECT_DOUBLE_EQ(closest.AverageDistance(NumaMask::Of({0, 2})), 11);
  EXPECT_EQ(MergeHints(lists, all, closest), H({2, 3}, true));
}

TEST(HintMergerTest, E11DifferentPreferredMasksMergeNonPreferred) {
  HintLists lists{{H({0, 1, 2}, true)}, {H({0, 1}, true)}};
  EXPECT_EQ(MergeHints(lists, NumaMask::Of({0, 1, 2, 3}), MaskFitness()), H({0, 1}, false));
}

TEST(HintMergerTest, E12EmptyProviderListMeansNotPreferredDefault) {
  ProviderHints gpu;
  gpu.by_resource["gpu"] = std::vector<TopologyHint>{};
  HintLists lists = NormalizeProviderHints({gpu});
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0], std::vector<TopologyHint>{Nil(false)});
  EXPECT_EQ(MergeHints(lists, NumaMask::Of({0, 1}), MaskFitness()), H({0, 1}, false));
}

TEST(HintMergerTest, NormalisationKeepsTheThreeEmptyShapesApart) {
  ProviderHints none;  // no keys
  ProviderHints nil_list;
  nil_list.by_resource["memory"] = std::nullopt;
  HintLists lists = NormalizeProviderHints({none, nil_list});
  ASSERT_EQ(lists.size(), 2u);
  EXPECT_EQ(lists[0], std::vector<TopologyHint>{Nil(true)});
  EXPECT_EQ(lists[1], std::vector<TopologyHint>{Nil(true)});
  EXPECT_EQ(MergeHints(lists, NumaMask::Of({0, 1}), MaskFitness()), H({0, 1}, true));
}

TEST(HintMergerTest, PreferredNeedsIdenticalMasks) {
  HintLists lists{{H({0}, true), H({1}, true), H({0, 1}, false)},
                  {Nil(true)},
                  {H({1}, true), H({0, 1}, false)}};
  EXPECT_EQ(MergeHints(lists, NumaMask::Of({0, 1}), MaskFitness()), H({1}, true));
}

TEST(HintMergerTest, IntegerOrderNotLexicographic) {
  HintLists lists{{H({0, 3}, true), H({1, 2}, true)}};
  EXPECT_EQ(MergeHints(lists, NumaMask::Of({0, 1, 2, 3}), MaskFitness()), H({1, 2}, true));
}

// Random hint lists on up to 6 nodes: the closed form must equal the literal permutation walk.
TEST(HintMergerTest, MatchesTheKubeletPermutationWalkOnRandomLists) {
  std::mt19937 rng(12345);
  for (int iter = 0; iter < 3000; ++iter) {
    const int nodes = 1 + static_cast<int>(rng() % 6);
    const NumaMask all(((1ULL << nodes) - 1));
    const int list_count = 1 + static_cast<int>(rng() % 3);
    HintLists lists(list_count);
    for (auto& list : lists) {
      const int len = 1 + static_cast<int>(rng() % 5);
      for (int i = 0; i < len; ++i) {
        if (rng() % 7 == 0) {
          list.push_back(Nil(rng() % 2 == 0));
        } else {
          std::uint64_t bits = 1 + rng() % ((1ULL << nodes) - 1);
          list.push_back(TopologyHint{NumaMask(bits), rng() % 2 == 0});
        }
      }
    }
    std::vector<std::vector<int>> dist(nodes, std::vector<int>(nodes));
    for (int i = 0; i < nodes; ++i) {
      for (int j = 0; j < nodes; ++j)
        dist[i][j] = i == j ? 10 : 11 + static_cast<int>((i * 7 + j * 3) % 5);
    }
    for (const MaskFitness& fit : {MaskFitness(), MaskFitness::Closest(dist)}) {
      EXPECT_EQ(MergeHints(lists, all, fit), ReferenceMerge(lists, all, fit))
          << "iteration " << iter;
    }
  }
}

// Large machines: full 17-node hint lists merge without walking 2^34 permutations.
TEST(HintMergerTest, SeventeenNodesFullListsStayFast) {
  std::vector<int> positions;
  for (int i = 0; i < 17; ++i) positions.push_back(i);
  const NumaMask all = NumaMask::Of(positions);
  std::vector<TopologyHint> a;
  std::vector<TopologyHint> b;
  IterateMasks(positions, [&](NumaMask m) {
    a.push_back(TopologyHint{m, m.Count() == 2});
    if (m.Count() >= 3) b.push_back(TopologyHint{m, false});
    return true;
  });
  // No preferred candidate: B = 3; the narrowest count-3 mask is {0,1,2}.
  EXPECT_EQ(MergeHints({a, b}, all, MaskFitness()), H({0, 1, 2}, false));
}

}  // namespace
}  // namespace numalign::numa
