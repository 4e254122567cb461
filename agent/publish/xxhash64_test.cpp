#include "agent/publish/xxhash64.h"

#include <gtest/gtest.h>

#include <string>

namespace numalign::agent::publish {
namespace {

// Reference values of XXH64 (cross-checked against the system libxxhash 0.8.1).
TEST(XxHash64Test, ReferenceValuesShortInputs) {
  EXPECT_EQ(XxHash64(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(XxHash64("a"), 0xD24EC4F1A98C6E5BULL);
  EXPECT_EQ(XxHash64("abc"), 0x44BC2CF5AD770999ULL);
}

TEST(XxHash64Test, ReferenceValuesLongInputsAndSeed) {
  // 43 bytes: one 32-byte stripe, one 8-byte lane, three tail bytes.
  EXPECT_EQ(XxHash64("The quick brown fox jumps over the lazy dog"), 0x0B242D361FDA71BCULL);
  EXPECT_EQ(XxHash64("", 1), 0xD5AFBA1336A3BE4BULL);
  EXPECT_EQ(XxHash64(std::string(100, 'x'), 7), 0xAE5AD321E4FE6127ULL);
}

TEST(XxHash64Test, SeedChangesTheHash) {
  EXPECT_NE(XxHash64("pod", 0), XxHash64("pod", 1));
}

}  // namespace
}  // namespace numalign::agent::publish
