#include "extender/decider/pass_through_decider.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace numalign::extender {
namespace {

using ::testing::ElementsAre;

TEST(PassThroughDecider, AcceptsEveryNodeWithEqualScores) {
  PassThroughDecider decider;
  protocol::NodeCandidates nodes;
  nodes.names = {"a", "b"};
  const auto filter = decider.Filter({}, nodes, {});
  EXPECT_THAT(filter.feasible, ElementsAre("a", "b"));
  EXPECT_TRUE(filter.failed.empty());
  EXPECT_EQ(filter.error, "");
  const auto scores = decider.Prioritize({}, nodes, {});
  EXPECT_EQ(scores.scores, (protocol::HostPriorityList{{"a", 0}, {"b", 0}}));
}

TEST(PassThroughDecider, BindsThroughTheBinderOrRefusesWithoutOne) {
  PassThroughDecider without;
  EXPECT_NE(without.Bind({"p", "ns", "u", "n"}, {}), "");
  protocol::BindingArgs seen;
  PassThroughDecider with([&](const protocol::BindingArgs& args) {
    seen = args;
    return std::string{};
  });
  EXPECT_EQ(with.Bind({"p", "ns", "u", "n"}, {}), "");
  EXPECT_EQ(seen.node, "n");
}

TEST(PassThroughDecider, KeepsTheSchedulersVictims) {
  PassThroughDecider decider;
  PreemptionCandidates candidates;
  candidates.by_uid["w"] = protocol::MetaVictims{{{"a1"}}, 0};
  EXPECT_EQ(decider.Preempt({}, candidates, {}).node_name_to_meta_victims, candidates.by_uid);
}

}  // namespace
}  // namespace numalign::extender
