#include "extender/view/node_verdicts.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace numalign::extender {
namespace {

CachedVerdict Fits(std::int64_t score) {
  return CachedVerdict{NodeFit::kFits, "", true, score};
}

TEST(NodeVerdictsTest, FindsWhatWasStoredByShape) {
  NodeVerdicts memo;
  EXPECT_EQ(memo.Find(7), nullptr);
  const CachedVerdict* stored = memo.Store(7, Fits(3));
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(memo.Find(7), stored);
  EXPECT_EQ(memo.Find(7)->score, 3);
  EXPECT_EQ(memo.Find(8), nullptr);
  memo.Store(8, CachedVerdict{NodeFit::kFailed, "TopologyAffinityError: x", true, 0});
  EXPECT_EQ(memo.Find(8)->reason, "TopologyAffinityError: x");
  EXPECT_EQ(memo.size(), 2u);
}

TEST(NodeVerdictsTest, TheFirstVerdictOfAShapeStays) {
  NodeVerdicts memo;
  const CachedVerdict* first = memo.Store(1, Fits(4));
  // A concurrent evaluation of the same shape on the same node state stores nothing new.
  EXPECT_EQ(memo.Store(1, Fits(4)), first);
  EXPECT_EQ(memo.size(), 1u);
}

TEST(NodeVerdictsTest, StopsMemoizingWhenEverySlotIsTaken) {
  NodeVerdicts memo;
  std::vector<const CachedVerdict*> stored;
  for (std::uint64_t shape = 1; shape <= NodeVerdicts::kMaxShapes; ++shape) {
    stored.push_back(memo.Store(shape, Fits(static_cast<std::int64_t>(shape % 10))));
  }
  EXPECT_EQ(memo.Store(NodeVerdicts::kMaxShapes + 1, Fits(0)), nullptr);
  EXPECT_EQ(memo.Find(NodeVerdicts::kMaxShapes + 1), nullptr);
  // What was stored stays where it was: callers hold plain pointers into the memo.
  for (std::uint64_t shape = 1; shape <= NodeVerdicts::kMaxShapes; ++shape) {
    EXPECT_EQ(memo.Find(shape), stored[shape - 1]);
  }
}

TEST(NodeVerdictsTest, ReadersSeeOnlyCompleteVerdictsWhileWritersStore) {
  NodeVerdicts memo;
  std::atomic<bool> done = false;
  std::thread writer([&] {
    for (std::uint64_t shape = 1; shape <= NodeVerdicts::kMaxShapes; ++shape) {
      memo.Store(shape, Fits(static_cast<std::int64_t>(shape)));
    }
    done = true;
  });
  std::size_t seen = 0;
  while (!done || seen < NodeVerdicts::kMaxShapes) {
    seen = 0;
    for (std::uint64_t shape = 1; shape <= NodeVerdicts::kMaxShapes; ++shape) {
      if (const CachedVerdict* v = memo.Find(shape)) {
        ASSERT_EQ(v->score, static_cast<std::int64_t>(shape));
        ++seen;
      }
    }
  }
  writer.join();
  EXPECT_EQ(seen, NodeVerdicts::kMaxShapes);
}

}  // namespace
}  // namespace numalign::extender
