#include "numa/topology/cpu_list.h"

#include <gtest/gtest.h>

namespace numalign::numa {
namespace {

using Ids = std::vector<int>;

TEST(SysfsCpuListTest, ParsesKernelListFormat) {
  std::string error;
  EXPECT_EQ(ParseCpuList("0-3,8\n", &error), (Ids{0, 1, 2, 3, 8}));
  EXPECT_EQ(ParseCpuList("0-23,48-71", &error)->size(), 48U);
  EXPECT_EQ(ParseCpuList("\n", &error), Ids{});
  EXPECT_EQ(ParseCpuList(std::string("0-7\n\0", 5), &error), (Ids{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(ParseCpuList("0,8,250-255", &error), (Ids{0, 8, 250, 251, 252, 253, 254, 255}));
}

TEST(SysfsCpuListTest, RejectsMalformedLists) {
  for (const char* bad : {"a", "1-", "-1", "3-1", "1,,2", "0-3:2/4", "1 2", "99999999999"}) {
    std::string error;
    EXPECT_FALSE(ParseCpuList(bad, &error).has_value()) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(SysfsCpuListTest, ParsesHexMasksMostSignificantGroupFirst) {
  std::string error;
  EXPECT_EQ(ParseHexCpuMask("00000000,000000ff\n", &error), (Ids{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(ParseHexCpuMask("0f", &error), (Ids{0, 1, 2, 3}));
  EXPECT_EQ(ParseHexCpuMask("00000001,00000000", &error), (Ids{32}));
  EXPECT_EQ(ParseHexCpuMask("80000000,,00000001", &error).value_or(Ids{}).size(), 0U)
      << "empty groups are not kernel output";
  EXPECT_EQ(ParseHexCpuMask("F0", &error), (Ids{4, 5, 6, 7}));
  EXPECT_EQ(ParseHexCpuMask("00000000", &error), Ids{});
}

TEST(SysfsCpuListTest, RejectsMalformedMasks) {
  for (const char* bad : {"", "xyz", "123456789", "ff,", ",ff", "0x0f"}) {
    std::string error;
    EXPECT_FALSE(ParseHexCpuMask(bad, &error).has_value()) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(SysfsCpuListTest, FormatsRanges) {
  EXPECT_EQ(FormatCpuList({0, 1, 2, 3, 8, 10, 11}), "0-3,8,10-11");
  EXPECT_EQ(FormatCpuList({}), "");
  EXPECT_EQ(FormatCpuList({5}), "5");
}

}  // namespace
}  // namespace numalign::numa
