#include "extender/decider/shape_ids.h"

#include <gtest/gtest.h>

namespace numalign::extender {
namespace {

TEST(ShapeIdsTest, OneIdPerKey) {
  ShapeIds ids;
  const auto a = ids.IdOf("1,0,2,memory=1073741824,;|c:0,2,1,");
  const auto b = ids.IdOf("1,0,4,memory=1073741824,;|c:0,4,1,");
  EXPECT_NE(a, b);
  EXPECT_EQ(ids.IdOf("1,0,2,memory=1073741824,;|c:0,2,1,"), a);
  EXPECT_EQ(ids.size(), 2u);
}

// Two deciders with other options share one NodeView, so their ids share the memos.
TEST(ShapeIdsTest, IdsAreUniqueAcrossTables) {
  ShapeIds least_allocated;
  ShapeIds most_allocated;
  EXPECT_NE(least_allocated.IdOf("same key"), most_allocated.IdOf("same key"));
}

TEST(ShapeIdsTest, AForgottenKeyGetsANewId) {
  ShapeIds ids;
  const auto first = ids.IdOf("key-0");
  for (std::size_t i = 1; i <= ShapeIds::kMaxShapes; ++i) ids.IdOf("key-" + std::to_string(i));
  // The table was full and forgot everything: the old id never comes back, so memo entries
  // stored under it cannot be confused with another shape.
  EXPECT_NE(ids.IdOf("key-0"), first);
  EXPECT_LE(ids.size(), ShapeIds::kMaxShapes);
}

}  // namespace
}  // namespace numalign::extender
