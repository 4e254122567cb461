#include "controller/recovery/owner_backoff.h"

#include <gtest/gtest.h>

namespace numalign::controller {
namespace {

using namespace std::chrono_literals;

TEST(OwnerBackoff, DoublesUpToTheCapAndResets) {
  kube::FakeClock clock;
  OwnerBackoff backoff({.base = 10s, .max = 60s});
  EXPECT_TRUE(backoff.Allowed("rs", clock.Now()));
  EXPECT_EQ(backoff.RecordRecovery("rs", clock.Now()), 10s);
  EXPECT_FALSE(backoff.Allowed("rs", clock.Now() + 9s));
  EXPECT_TRUE(backoff.Allowed("rs", clock.Now() + 10s));
  EXPECT_EQ(backoff.RecordRecovery("rs", clock.Now()), 20s);
  EXPECT_EQ(backoff.RecordRecovery("rs", clock.Now()), 40s);
  EXPECT_EQ(backoff.RecordRecovery("rs", clock.Now()), 60s);
  for (int i = 0; i < 100; ++i) backoff.RecordRecovery("rs", clock.Now());
  EXPECT_EQ(backoff.RecordRecovery("rs", clock.Now()), 60s) << "no overflow after many attempts";
  EXPECT_TRUE(backoff.Allowed("other", clock.Now())) << "owners are independent";
  backoff.Reset("rs");
  EXPECT_EQ(backoff.Attempts("rs"), 0);
  EXPECT_EQ(backoff.RecordRecovery("rs", clock.Now()), 10s);
}

}  // namespace
}  // namespace numalign::controller
