#include "numa/cpumanager/cpuset.h"

#include <gtest/gtest.h>

namespace numalign::numa {
namespace {

TEST(CpuSet, ParsesKubeletSyntax) {
  std::string error;
  EXPECT_EQ(CpuSet::Parse("", &error), CpuSet());
  EXPECT_EQ(CpuSet::Parse("3", &error), CpuSet::Of({3}));
  EXPECT_EQ(CpuSet::Parse("0-3,8,10-11", &error), CpuSet::Of({0, 1, 2, 3, 8, 10, 11}));
  EXPECT_EQ(CpuSet::Parse("5-5", &error), CpuSet::Of({5}));
  EXPECT_EQ(CpuSet::Parse("8,0-1", &error), CpuSet::Of({0, 1, 8}));
  EXPECT_EQ(CpuSet::Parse("200-201", &error), CpuSet::Of({200, 201}));
}

TEST(CpuSet, RejectsMalformedInputWithAClearMessage) {
  for (const char* bad : {"a", "1,", ",1", "1-", "-1", "1-2-3", " 1", "3-1", "1..2", "99999999"}) {
    std::string error;
    EXPECT_FALSE(CpuSet::Parse(bad, &error).has_value()) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
  std::string error;
  CpuSet::Parse("3-1", &error);
  EXPECT_EQ(error, "invalid range \"3-1\" (3 > 1)");
}

TEST(CpuSet, FormatsLikeTheKubelet) {
  EXPECT_EQ(CpuSet().ToString(), "");
  EXPECT_EQ(CpuSet::Of({0, 1, 2, 3, 8}).ToString(), "0-3,8");
  EXPECT_EQ(CpuSet::Of({0, 1}).ToString(), "0-1");
  EXPECT_EQ(CpuSet::Of({5, 64, 65, 127, 128}).ToString(), "5,64-65,127-128");
  std::string error;
  EXPECT_EQ(CpuSet::Parse("0-3,8,10-11", &error)->ToString(), "0-3,8,10-11");
}

TEST(CpuSet, SetAlgebraAcrossWordBoundaries) {
  const CpuSet a = CpuSet::Of({1, 63, 64, 200});
  const CpuSet b = CpuSet::Of({63, 200, 271});
  EXPECT_EQ(a.Union(b), CpuSet::Of({1, 63, 64, 200, 271}));
  EXPECT_EQ(a.Intersection(b), CpuSet::Of({63, 200}));
  EXPECT_EQ(a.Difference(b), CpuSet::Of({1, 64}));
  EXPECT_EQ(b.Difference(a), CpuSet::Of({271}));
  EXPECT_EQ(a.IntersectionSize(b), 2u);
  EXPECT_TRUE(CpuSet::Of({63}).IsSubsetOf(a));
  EXPECT_FALSE(b.IsSubsetOf(a));
  EXPECT_EQ(a.size(), 4u);
  EXPECT_EQ(a.Min(), 1);
  EXPECT_TRUE(a.Contains(200));
  EXPECT_FALSE(a.Contains(-1));
  // Sets equal by content compare equal whatever was removed before.
  CpuSet c = CpuSet::Of({1, 300});
  c.Remove(300);
  EXPECT_EQ(c, CpuSet::Of({1}));
  EXPECT_TRUE(CpuSet::Of({300}).Difference(CpuSet::Of({300})).empty());
  EXPECT_EQ(CpuSet::Range(2, 4).ToVector(), (std::vector<int>{2, 3, 4}));
}

}  // namespace
}  // namespace numalign::numa
