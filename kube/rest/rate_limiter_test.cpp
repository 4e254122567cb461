#include "kube/rest/rate_limiter.h"

#include <gtest/gtest.h>

#include <thread>

namespace numalign::kube {
namespace {

using std::chrono::milliseconds;

TEST(TokenBucketTest, StartsFullThenRefillsAtQps) {
  auto clock = std::make_shared<FakeClock>();
  TokenBucketRateLimiter limiter(/*qps=*/2, /*burst=*/3, clock);
  EXPECT_TRUE(limiter.TryAccept());
  EXPECT_TRUE(limiter.TryAccept());
  EXPECT_TRUE(limiter.TryAccept());
  EXPECT_FALSE(limiter.TryAccept());
  clock->Advance(milliseconds(499));
  EXPECT_FALSE(limiter.TryAccept());
  clock->Advance(milliseconds(1));
  EXPECT_TRUE(limiter.TryAccept());
  // A long quiet period refills only up to the burst.
  clock->Advance(std::chrono::seconds(100));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.TryAccept());
  EXPECT_FALSE(limiter.TryAccept());
}

TEST(TokenBucketTest, WaitSleepsUntilTheNextToken) {
  auto clock = std::make_shared<FakeClock>();
  clock->SetAutoAdvance(true);
  TokenBucketRateLimiter limiter(10, 1, clock);
  const auto start = clock->Now();
  EXPECT_TRUE(limiter.Wait());
  EXPECT_EQ(clock->Now(), start);
  EXPECT_TRUE(limiter.Wait());
  EXPECT_TRUE(limiter.Wait());
  // Two extra requests at 10 qps take 200 ms.
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(clock->Now() - start), milliseconds(200));
}

TEST(TokenBucketTest, WaitersQueueInLine) {
  auto clock = std::make_shared<FakeClock>();
  TokenBucketRateLimiter limiter(1, 1, clock);
  ASSERT_TRUE(limiter.TryAccept());
  std::atomic<int> passed = 0;
  std::jthread a([&] {
    limiter.Wait();
    ++passed;
  });
  std::jthread b([&] {
    limiter.Wait();
    ++passed;
  });
  ASSERT_TRUE(clock->WaitForSleepers(2));
  clock->Advance(std::chrono::seconds(1));
  // Exactly one waiter's slot has come.
  for (int i = 0; i < 200 && passed < 1; ++i) std::this_thread::sleep_for(milliseconds(5));
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(passed, 1);
  clock->Advance(std::chrono::seconds(1));
  a.join();
  b.join();
  EXPECT_EQ(passed, 2);
}

TEST(TokenBucketTest, StoppedWaitReturnsFalse) {
  auto clock = std::make_shared<FakeClock>();
  TokenBucketRateLimiter limiter(1, 1, clock);
  ASSERT_TRUE(limiter.TryAccept());
  std::stop_source stop;
  std::atomic<bool> result = true;
  std::jthread waiter([&] { result = limiter.Wait(stop.get_token()); });
  ASSERT_TRUE(clock->WaitForSleepers(1));
  stop.request_stop();
  waiter.join();
  EXPECT_FALSE(result);
}

TEST(TokenBucketTest, ZeroQpsDisablesLimiting) {
  TokenBucketRateLimiter limiter(0, 1, std::make_shared<FakeClock>());
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.TryAccept());
}

}  // namespace
}  // namespace numalign::kube
