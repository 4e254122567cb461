#include "numa/topologymanager/bitmask.h"

#include <gtest/gtest.h>

namespace numalign::numa {
namespace {

std::vector<std::string> Visit(const std::vector<int>& ids) {
  std::vector<std::string> out;
  IterateMasks(ids, [&](NumaMask m) {
    out.push_back(m.ToString());
    return true;
  });
  return out;
}

TEST(NumaMask, IterationFollowsKubeletOrder) {
  EXPECT_EQ(Visit({0, 1, 2}),
            (std::vector<std::string>{"{0}", "{1}", "{2}", "{0,1}", "{0,2}", "{1,2}", "{0,1,2}"}));
  auto four = Visit({0, 1, 2, 3});
  ASSERT_EQ(four.size(), 15u);
  EXPECT_EQ(std::vector<std::string>(four.begin() + 4, four.begin() + 10),
            (std::vector<std::string>{"{0,1}", "{0,2}", "{0,3}", "{1,2}", "{1,3}", "{2,3}"}));
}

TEST(NumaMask, SparseIdsIterateOverGivenPositions) {
  EXPECT_EQ(Visit({0, 8}), (std::vector<std::string>{"{0}", "{8}", "{0,8}"}));
}

TEST(NumaMask, NarrowerThanComparesCountThenInteger) {
  EXPECT_TRUE(NumaMask::Of({1, 2}).IsNarrowerThan(NumaMask::Of({0, 3})));  // 6 < 9
  EXPECT_FALSE(NumaMask::Of({0, 3}).IsNarrowerThan(NumaMask::Of({1, 2})));
  EXPECT_TRUE(NumaMask::Of({3}).IsNarrowerThan(NumaMask::Of({0, 1})));
  EXPECT_FALSE(NumaMask::Of({0}).IsNarrowerThan(NumaMask::Of({0})));
}

TEST(NumaMask, SetOperations) {
  auto a = NumaMask::Of({0, 1, 2});
  auto b = NumaMask::Of({1, 3});
  EXPECT_EQ(a.And(b), NumaMask::Of({1}));
  EXPECT_EQ(a.Or(b), NumaMask::Of({0, 1, 2, 3}));
  EXPECT_TRUE(NumaMask::Of({1}).IsSubsetOf(a));
  EXPECT_FALSE(b.IsSubsetOf(a));
  EXPECT_EQ(a.Bits(), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(a.Count(), 3);
}

TEST(NumaMask, EarlyStop) {
  int seen = 0;
  IterateMasks({0, 1, 2, 3}, [&](NumaMask) { return ++seen < 3; });
  EXPECT_EQ(seen, 3);
}

}  // namespace
}  // namespace numalign::numa
