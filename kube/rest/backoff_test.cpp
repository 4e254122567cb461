#include "kube/rest/backoff.h"

#include <gtest/gtest.h>

namespace numalign::kube {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, GrowsExponentiallyWithinJitterBounds) {
  Backoff backoff({milliseconds(100), milliseconds(1000), 2.0, 0.5}, 42);
  const int bases[] = {100, 200, 400, 800, 1000, 1000, 1000};
  for (int base : bases) {
    const auto d = backoff.Next();
    EXPECT_GE(d.count(), base);
    EXPECT_LE(d.count(), base * 1.5);
  }
  backoff.Reset();
  const auto first = backoff.Next();
  EXPECT_GE(first.count(), 100);
  EXPECT_LE(first.count(), 150);
}

TEST(BackoffTest, JitterSpreadsDelays) {
  Backoff a({milliseconds(1000), milliseconds(1000), 2.0, 0.2}, 1);
  Backoff b({milliseconds(1000), milliseconds(1000), 2.0, 0.2}, 2);
  int differing = 0;
  for (int i = 0; i < 10; ++i) differing += a.Next() != b.Next();
  EXPECT_GT(differing, 5);
}

TEST(BackoffTest, NoJitterIsExact) {
  Backoff backoff({milliseconds(10), milliseconds(50), 3.0, 0.0}, 0);
  EXPECT_EQ(backoff.Next(), milliseconds(10));
  EXPECT_EQ(backoff.Next(), milliseconds(30));
  EXPECT_EQ(backoff.Next(), milliseconds(50));
  for (int i = 0; i < 200; ++i) EXPECT_EQ(backoff.Next(), milliseconds(50));  // no overflow
}

}  // namespace
}  // namespace numalign::kube
