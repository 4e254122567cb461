#include "sim/scheduler/scheduler_model.h"

#include <gtest/gtest.h>

#include "sim/model/pod_object.h"
#include "sim/testing/sim_test_support.h"

namespace numalign::sim {
namespace {

using testing::Pod;

SchedulerModel::Node Node(const std::string& name, std::int64_t milli_cpu, std::int64_t memory) {
  return {name, {{"cpu", milli_cpu}, {"memory", memory}, {"pods", 110}}};
}

constexpr std::int64_t kGi = 1ll << 30;

TEST(SchedulerModel, FeasibleNodesToFindFollowsTheAdaptivePercentage) {
  EXPECT_EQ(SchedulerModel::FeasibleNodesToFind(50), 50u);
  EXPECT_EQ(SchedulerModel::FeasibleNodesToFind(100), 100u);    // 50% of 100 < 100
  EXPECT_EQ(SchedulerModel::FeasibleNodesToFind(1000), 420u);   // 50 - 8 = 42%
  EXPECT_EQ(SchedulerModel::FeasibleNodesToFind(5000), 500u);   // 50 - 40 = 10%
  EXPECT_EQ(SchedulerModel::FeasibleNodesToFind(10000), 500u);  // at least 5%
}

TEST(SchedulerModel, FitsOnNodeTotalsAndCountsAssumedPods) {
  SchedulerModel s({Node("a", 4000, 8 * kGi)}, nullptr, nullptr);
  const SimPod p1 = Pod("p1", 3, "1Gi");
  EXPECT_EQ(s.Schedule(p1, PodObject(p1, "u1", 0)).node, "a");
  const SimPod p2 = Pod("p2", 2, "1Gi");
  SchedulingDecision d = s.Schedule(p2, PodObject(p2, "u2", 0));
  EXPECT_EQ(d.node, "");
  EXPECT_EQ(d.reason, "0/1 nodes are available: 1 Insufficient cpu.");
  EXPECT_TRUE(s.RemovePod("default/p1"));
  EXPECT_FALSE(s.RemovePod("default/p1"));
  EXPECT_EQ(s.Schedule(p2, PodObject(p2, "u2", 0)).node, "a");
  EXPECT_EQ(s.Requested("a").at("cpu"), 2000);
}

TEST(SchedulerModel, ScoresLeastAllocatedAndBalancedThenLowestName) {
  // b has more room: LeastAllocated prefers it. Equal nodes tie: the lowest name wins.
  SchedulerModel s(
      {Node("c", 8000, 16 * kGi), Node("b", 16000, 32 * kGi), Node("a", 8000, 16 * kGi)}, nullptr,
      nullptr);
  const SimPod p = Pod("p", 2, "4Gi");
  EXPECT_EQ(s.Schedule(p, PodObject(p, "u", 0)).node, "b");
  SchedulerModel tie({Node("c", 8000, 16 * kGi), Node("a", 8000, 16 * kGi)}, nullptr, nullptr);
  EXPECT_EQ(tie.Schedule(p, PodObject(p, "u", 0)).node, "a");
}

// Scripted extender: filters out "b", scores "c" 10 and others 0, records calls.
class FakeExtender final : public ExtenderClient {
 public:
  std::vector<std::string> calls;
  std::string bind_error;
  extender::protocol::FilterResult Filter(const extender::protocol::ExtenderArgs& args) override {
    calls.push_back("filter " + std::to_string(args.nodes.names.size()));
    extender::protocol::FilterResult r;
    for (const auto& n : args.nodes.names) {
      if (n == "b") {
        r.failed_nodes[n] = "TopologyAffinityError: no NUMA node fits";
      } else {
        r.node_names.push_back(n);
      }
    }
    return r;
  }
  PrioritizeReply Prioritize(const extender::protocol::ExtenderArgs& args) override {
    calls.push_back("prioritize " + std::to_string(args.nodes.names.size()));
    PrioritizeReply r;
    for (const auto& n : args.nodes.names) r.scores.push_back({n, n == "c" ? 10 : 0});
    return r;
  }
  extender::protocol::BindingResult Bind(const extender::protocol::BindingArgs& args) override {
    calls.push_back("bind " + args.pod_name + " " + args.pod_uid + " " + args.node);
    return {bind_error};
  }
};

TEST(SchedulerModel, ExtenderFiltersScoresWithWeightAndBinds) {
  FakeExtender extender;
  // a has twice c's room (in-tree prefers a by 50 + 0 points at most); c's extender score
  // 10 * 5 * 10 = 500 wins.
  SchedulerModel s(
      {Node("a", 16000, 32 * kGi), Node("b", 64000, 64 * kGi), Node("c", 8000, 16 * kGi)},
      &extender, nullptr);
  const SimPod p = Pod("p", 2, "4Gi");
  SchedulingDecision d = s.Schedule(p, PodObject(p, "uid-p", 0));
  EXPECT_EQ(d.node, "c");
  EXPECT_TRUE(d.extender_bound);
  EXPECT_EQ(d.extender_latency_us.size(), 3u);
  EXPECT_EQ(extender.calls,
            (std::vector<std::string>{"filter 3", "prioritize 2", "bind p uid-p c"}));
}

TEST(SchedulerModel, ExtenderFailuresLeaveThePodUnscheduled) {
  FakeExtender extender;
  extender.bind_error = "conflict";
  SchedulerModel s({Node("a", 16000, 32 * kGi)}, &extender, nullptr);
  const SimPod p = Pod("p", 2, "4Gi");
  SchedulingDecision d = s.Schedule(p, PodObject(p, "uid-p", 0));
  EXPECT_EQ(d.node, "");
  EXPECT_EQ(d.reason, "binding rejected: conflict");
  // A single feasible node is taken without scoring: no prioritize call.
  EXPECT_EQ(extender.calls, (std::vector<std::string>{"filter 1", "bind p uid-p a"}));
  EXPECT_FALSE(s.RemovePod("default/p"));  // nothing was assumed
}

TEST(SchedulerModel, RotatesTheStartIndexAcrossCycles) {
  // 200 equal nodes: each cycle examines 100 from where the previous one stopped; with all
  // nodes feasible, the chosen node is the lowest name among the examined ones.
  std::vector<SchedulerModel::Node> nodes;
  for (int i = 0; i < 200; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "n%03d", i);
    nodes.push_back(Node(name, 64000, 64 * kGi));
  }
  SchedulerModel s(nodes, nullptr, nullptr);
  const SimPod p1 = Pod("p1", 1, "1Gi");
  const SimPod p2 = Pod("p2", 1, "1Gi");
  EXPECT_EQ(s.Schedule(p1, PodObject(p1, "1", 0)).node, "n000");  // examined n000..n099
  EXPECT_EQ(s.Schedule(p2, PodObject(p2, "2", 0)).node, "n100");
}

}  // namespace
}  // namespace numalign::sim
