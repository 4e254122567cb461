#include "numa/topology/numa_id_map.h"

#include <gtest/gtest.h>

namespace numalign::numa {
namespace {

TEST(NumaIdMap, IdentityWhenIdsFitInAWord) {
  std::string err;
  auto m = NumaIdMap::Create({0, 8}, &err);
  ASSERT_TRUE(m) << err;
  EXPECT_TRUE(m->Identity());
  EXPECT_EQ(m->PositionOf(8), 8);
  EXPECT_EQ(m->PositionOf(3), -1);
  EXPECT_EQ(m->All(), NumaMask::Of({0, 8}));
}

TEST(NumaIdMap, RanksLargeIdsKeepingOrder) {
  std::string err;
  auto m = NumaIdMap::Create({0, 8, 250, 255}, &err);
  ASSERT_TRUE(m) << err;
  EXPECT_FALSE(m->Identity());
  EXPECT_EQ(m->PositionOf(250), 2);
  EXPECT_EQ(m->IdsOf(NumaMask::Of({1, 3})), (std::vector<int>{8, 255}));
  EXPECT_EQ(m->MaskOfIds({255, 0, 999}), NumaMask::Of({0, 3}));
}

TEST(NumaIdMap, RejectsUnsortedAndTooMany) {
  std::string err;
  EXPECT_FALSE(NumaIdMap::Create({1, 0}, &err));
  std::vector<int> many(65);
  for (int i = 0; i < 65; ++i) many[i] = i;
  EXPECT_FALSE(NumaIdMap::Create(many, &err));
  EXPECT_NE(err.find("64"), std::string::npos);
}

}  // namespace
}  // namespace numalign::numa
