#include "extender/config/decision_options.h"

#include <gtest/gtest.h>

namespace numalign::extender {
namespace {

using namespace std::chrono_literals;

TEST(DecisionOptions, ParsesFlagValues) {
  EXPECT_EQ(parse_unmanaged_nodes("reject"), UnmanagedNodes::kReject);
  EXPECT_EQ(parse_scoring_strategy("balanced"), ScoringStrategy::kBalanced);
  EXPECT_EQ(to_string(parse_scoring_strategy("least-numa-nodes")), "least-numa-nodes");
  EXPECT_THROW(parse_unmanaged_nodes("maybe"), std::invalid_argument);
  EXPECT_THROW(parse_scoring_strategy("random"), std::invalid_argument);
}

TEST(DecisionOptions, ParsesResourceWeights) {
  const auto weights = parse_resource_weights("cpu=1,memory=2,hugepages-1Gi=3");
  EXPECT_EQ(weights.at("memory"), 2);
  EXPECT_EQ(weights.at("hugepages-1Gi"), 3);
  EXPECT_THROW(parse_resource_weights("cpu"), std::invalid_argument);
  EXPECT_THROW(parse_resource_weights("cpu=0"), std::invalid_argument);
  EXPECT_THROW(parse_resource_weights("cpu=1,cpu=2"), std::invalid_argument);
  EXPECT_THROW(parse_resource_weights("cpu=x"), std::invalid_argument);
  EXPECT_THROW(parse_resource_weights(""), std::invalid_argument);
}

TEST(DecisionOptions, ParsesGoDurations) {
  EXPECT_EQ(parse_duration("5s"), 5000ms);
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("1m30s"), 90000ms);
  EXPECT_EQ(parse_duration("1.5s"), 1500ms);
  EXPECT_EQ(parse_duration("0"), 0ms);
  EXPECT_THROW(parse_duration("5"), std::invalid_argument);
  EXPECT_THROW(parse_duration("s"), std::invalid_argument);
  EXPECT_THROW(parse_duration("5 parsecs"), std::invalid_argument);
}

}  // namespace
}  // namespace numalign::extender
