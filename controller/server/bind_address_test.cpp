#include "controller/server/bind_address.h"

#include <gtest/gtest.h>

namespace numalign::controller {
namespace {

TEST(ParseBindAddress, ReadsTheKubernetesForms) {
  auto all = ParseBindAddress(":10259");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->host, "0.0.0.0");
  EXPECT_EQ(all->port, 10259);
  auto local = ParseBindAddress("127.0.0.1:8080");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->host, "127.0.0.1");
  EXPECT_EQ(local->port, 8080);
  auto v6 = ParseBindAddress("[::1]:9000");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
}

TEST(ParseBindAddress, ZeroOrEmptyMeansOff) {
  EXPECT_FALSE(ParseBindAddress("0"));
  EXPECT_FALSE(ParseBindAddress(""));
}

TEST(ParseBindAddress, RejectsMalformedValues) {
  EXPECT_THROW(ParseBindAddress("10259"), std::invalid_argument);
  EXPECT_THROW(ParseBindAddress(":http"), std::invalid_argument);
  EXPECT_THROW(ParseBindAddress(":70000"), std::invalid_argument);
  EXPECT_THROW(ParseBindAddress("::1:80"), std::invalid_argument);
  EXPECT_THROW(ParseBindAddress("host:"), std::invalid_argument);
}

}  // namespace
}  // namespace numalign::controller
