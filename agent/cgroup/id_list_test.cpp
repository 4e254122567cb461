#include "agent/cgroup/id_list.h"

#include <gtest/gtest.h>

namespace numalign::agent::cgroup {
namespace {

TEST(IdListTest, ParsesKernelListFormat) {
  auto list = IdList::Parse("0-3,8,10-11\n");
  ASSERT_TRUE(list.ok()) << list.error().ToString();
  EXPECT_EQ(list->Ids(), (std::vector<int>{0, 1, 2, 3, 8, 10, 11}));
  EXPECT_EQ(list->Format(), "0-3,8,10-11");
}

TEST(IdListTest, EmptyLineIsTheEmptySet) {
  auto list = IdList::Parse("\n");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->Empty());
  EXPECT_EQ(list->Format(), "");
}

TEST(IdListTest, EqualityIsSetEquality) {
  EXPECT_EQ(IdList::Parse("0,1,2,5").value(), IdList::Parse("0-2,5").value());
  EXPECT_EQ(IdList::Parse(" 2 , 0-1 \n").value(), IdList::Of({0, 1, 2}));
  EXPECT_EQ(IdList::Of({3, 1, 1, 2}).Format(), "1-3");
}

TEST(IdListTest, RefusesMalformedItems) {
  for (const char* bad :
       {"a", "1-", "-1", "3-1", "1,,2", "0-3:1/2", "1 2", "99999999", "0-70000"}) {
    auto list = IdList::Parse(bad);
    EXPECT_FALSE(list.ok()) << bad;
    if (!list.ok()) {
      EXPECT_EQ(list.error().code, ErrorCode::kInvalidArgument) << bad;
    }
  }
}

TEST(IdListTest, SubsetAndUnion) {
  const IdList small = IdList::Of({1, 2});
  const IdList big = IdList::Of({0, 1, 2, 3});
  EXPECT_TRUE(small.IsSubsetOf(big));
  EXPECT_FALSE(big.IsSubsetOf(small));
  EXPECT_TRUE(IdList().IsSubsetOf(small));
  EXPECT_EQ(IdList::Of({0, 1}).Union(IdList::Of({4})).Format(), "0-1,4");
  EXPECT_EQ(IdList::Of({0, 1, 4}).Intersection(IdList::Of({1, 4, 5})).Format(), "1,4");
  EXPECT_TRUE(IdList::Of({0}).Intersection(IdList::Of({1})).Empty());
}

}  // namespace
}  // namespace numalign::agent::cgroup
