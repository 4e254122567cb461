#include "controller/metrics/controller_metrics.h"

#include <gtest/gtest.h>

namespace numalign::controller {
namespace {

TEST(ControllerMetrics, RendersCountersByReasonAndNodeGauges) {
  ControllerMetrics m;
  m.CountRecovery("TopologyAffinityError", "deleted");
  m.CountRecovery("TopologyAffinityError", "deleted");
  m.CountEviction("evicted");
  m.ReplaceNodeGauges({{"w1", "node-0", "cpu", 8, 6}}, {{"w1", "cpu", 0.5}}, 1);
  m.SetPendingNumaPods(2);
  const auto text = m.Render();
  EXPECT_NE(text.find("numalign_controller_recoveries_total{reason=\"TopologyAffinityError\","
                      "outcome=\"deleted\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("numalign_controller_numa_used{node=\"w1\",zone=\"node-0\",resource=\"cpu\"} 6"),
      std::string::npos);
  EXPECT_NE(text.find("numalign_controller_fragmentation_index{node=\"w1\",resource=\"cpu\"} 0.5"),
            std::string::npos);
  EXPECT_NE(text.find("numalign_controller_pending_numa_pods 2"), std::string::npos);
  EXPECT_NE(text.find("numalign_controller_evictions_total{outcome=\"evicted\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("numalign_controller_leader 0"), std::string::npos);
  m.SetLeading(true);
  EXPECT_NE(m.Render().find("numalign_controller_leader 1"), std::string::npos);
  m.ReplaceNodeGauges({{"w\"2", "node-0", "cpu", 8, 6}}, {}, 0);
  EXPECT_NE(m.Render().find("node=\"w\\\"2\""), std::string::npos) << "label values escaped";
  m.ReplaceNodeGauges({}, {}, 0);
  EXPECT_EQ(m.Render().find("node=\"w1\""), std::string::npos) << "deleted nodes disappear";
}

}  // namespace
}  // namespace numalign::controller
