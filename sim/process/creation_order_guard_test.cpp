#include "sim/process/creation_order_guard.h"

#include <gtest/gtest.h>

namespace numalign::sim::process {
namespace {

TEST(CreationOrderGuard, OrdersWithinOneSecondByUid) {
  CreationOrderGuard guard;
  EXPECT_TRUE(guard.InOrder("2026-01-01T00:00:00Z", "b"));
  guard.Record("2026-01-01T00:00:00Z", "b");
  EXPECT_FALSE(guard.InOrder("2026-01-01T00:00:00Z", "a"));
  EXPECT_FALSE(guard.InOrder("2026-01-01T00:00:00Z", "b"));
  EXPECT_TRUE(guard.InOrder("2026-01-01T00:00:00Z", "c"));
  guard.Record("2026-01-01T00:00:00Z", "c");
  EXPECT_FALSE(guard.InOrder("2026-01-01T00:00:00Z", "bb"));
}

TEST(CreationOrderGuard, ALaterSecondIsAlwaysInOrderAndStartsAfresh) {
  CreationOrderGuard guard;
  guard.Record("2026-01-01T00:00:00Z", "z");
  EXPECT_TRUE(guard.InOrder("2026-01-01T00:00:01Z", "a"));
  guard.Record("2026-01-01T00:00:01Z", "a");
  EXPECT_TRUE(guard.InOrder("2026-01-01T00:00:01Z", "b"));
  EXPECT_FALSE(guard.InOrder("2026-01-01T00:00:00Z", "zz")) << "an earlier second replays first";
}

}  // namespace
}  // namespace numalign::sim::process
