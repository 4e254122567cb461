// Bursts of NUMA pods scheduled by several scheduler threads at once through one extender, and
// an extender restarted against the same API, against the test API server (or KUBECONFIG's
// cluster).
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "extender/testing/scheduler_driver.h"
#include "kube/objects/pod.h"
#include "tests/integration/extender/e2e/in_process_extender.h"
#include "tests/integration/extender/e2e/numa_test_cluster.h"

namespace numalign::extender::integration {
namespace {

using namespace std::chrono_literals;

testing::ExtenderConfig SchedulerConfig(InProcessExtender& extender) {
  testing::ExtenderConfig config;
  config.url_prefix = extender.http().url_prefix();
  config.bind_verb = "bind";
  config.weight = 5;
  return config;
}

struct BurstResult {
  int bound = 0;
  int unschedulable = 0;
  std::vector<std::string> errors;
};

// `threads` schedulers share a queue of pods; a pod whose bind is refused (the node filled up
// between its filter and its bind) goes back to the queue, as the scheduler requeues it.
BurstResult ScheduleConcurrently(InProcessExtender& extender, std::deque<kube::Json> queue,
                                 const std::vector<testing::DriverNode>& nodes, int threads) {
  BurstResult result;
  std::mutex mutex;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      testing::SchedulerDriver scheduler(SchedulerConfig(extender));
      for (;;) {
        kube::Json pod;
        {
          std::lock_guard lock(mutex);
          if (queue.empty()) return;
          pod = std::move(queue.front());
          queue.pop_front();
        }
        testing::ScheduleOutcome outcome = scheduler.schedule(pod, nodes);
        std::unique_lock lock(mutex);
        if (outcome.result == testing::ScheduleOutcome::Result::kUnschedulable) {
          ++result.unschedulable;
          continue;
        }
        if (outcome.result != testing::ScheduleOutcome::Result::kScheduled) {
          result.errors.push_back(testing::pod_name(pod) + ": " + outcome.error);
          continue;
        }
        lock.unlock();
        testing::BindOutcome bind = scheduler.bind_pod(pod, outcome.node);
        lock.lock();
        if (bind.bound) {
          ++result.bound;
        } else {
          queue.push_back(std::move(pod));
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  return result;
}

class ConcurrentSchedulingTest : public ::testing::Test {
 protected:
  void SetUp() override { env.EnsureNrtCrd(); }

  kube::integration::KubeTestEnv env;
  NumaTestCluster cluster{env};
};

TEST_F(ConcurrentSchedulingTest, BurstFromSeveralSchedulersNeverOvercommitsANumaNode) {
  // 4 nodes x (7 + 8 allocatable CPUs) under single-numa-node: 2-CPU pods fit 3 + 4 per node.
  for (int i = 0; i < 4; ++i) cluster.AddNode("single-numa-node");
  InProcessExtender extender(env.NewClient());
  ASSERT_TRUE(extender.WaitForSync(20s));
  std::deque<kube::Json> pods;
  for (int i = 0; i < 36; ++i) {
    pods.push_back(cluster.CreatePod("burst-" + std::to_string(i), "2", "1Gi"));
  }
  BurstResult result = ScheduleConcurrently(extender, std::move(pods), cluster.DriverNodes(), 4);
  EXPECT_EQ(result.errors, std::vector<std::string>{});
  EXPECT_EQ(result.bound, 28);  // every slot used, none twice
  EXPECT_EQ(result.unschedulable, 8);
  const auto placed = cluster.ListPods();
  EXPECT_EQ(FindOvercommits(cluster.nrts(), placed), std::vector<std::string>{});
  int bound_in_api = 0;
  for (const auto& pod : placed) bound_in_api += kube::PodView(pod).IsBound() ? 1 : 0;
  EXPECT_EQ(bound_in_api, 28);
}

TEST_F(ConcurrentSchedulingTest, RestartedExtenderDecidesTheSameAsBefore) {
  cluster.AddNode("single-numa-node");
  cluster.AddNode("single-numa-node", 2, 12);
  cluster.AddNode("restricted", 4, 4);
  DecisionOptions options;
  options.scoring_strategy = ScoringStrategy::kMostAllocated;
  auto before = std::make_unique<InProcessExtender>(env.NewClient(), options);
  ASSERT_TRUE(before->WaitForSync(20s));
  std::deque<kube::Json> pods;
  const char* shapes[] = {"1", "3", "2", "5", "4", "2", "6", "1"};
  for (int i = 0; i < 8; ++i) {
    pods.push_back(cluster.CreatePod("placed-" + std::to_string(i), shapes[i], "1Gi"));
  }
  BurstResult placed = ScheduleConcurrently(*before, std::move(pods), cluster.DriverNodes(), 2);
  ASSERT_EQ(placed.errors, std::vector<std::string>{});
  ASSERT_GT(placed.bound, 0);

  // Probe pods, left unbound, asked of both incarnations.
  std::vector<kube::Json> probes;
  for (std::string cpu : {"1", "2", "4", "7", "8", "12"}) {
    probes.push_back(cluster.CreatePod("probe-" + cpu, cpu, "2Gi"));
  }
  const auto in_api = cluster.ListPods();
  ASSERT_TRUE(before->WaitForView(cluster.nodes(), in_api, 10s));
  auto ask = [&](InProcessExtender& extender) {
    testing::SchedulerDriver scheduler(SchedulerConfig(extender));
    std::vector<std::string> answers;
    std::vector<const testing::DriverNode*> candidates;
    const auto nodes = cluster.DriverNodes();
    for (const auto& n : nodes) candidates.push_back(&n);
    for (const auto& probe : probes) {
      auto filter = scheduler.filter(probe, candidates);
      std::string line = testing::pod_name(probe) + " feasible:";
      for (const auto& name : filter.feasible) line += " " + name;
      for (const auto& [name, status] : filter.statuses)
        line += " | " + name + ": " + status.reason;
      auto prioritize = scheduler.prioritize(probe, candidates);
      for (const auto& [name, score] : prioritize.weighted_scores) {
        line += " | " + name + "=" + std::to_string(score);
      }
      answers.push_back(line + filter.error + prioritize.error);
    }
    return answers;
  };
  const auto answers_before = ask(*before);
  std::map<std::string, std::set<std::string>> accounted_before;
  for (const auto& node : cluster.nodes()) {
    accounted_before[node] = before->view().Get(node)->pod_uids;
  }
  before.reset();  // the old incarnation is gone

  InProcessExtender after(env.NewClient(), options);
  ASSERT_TRUE(after.WaitForSync(20s));
  ASSERT_TRUE(after.WaitForView(cluster.nodes(), in_api, 10s));
  for (const auto& node : cluster.nodes()) {
    EXPECT_EQ(after.view().Get(node)->pod_uids, accounted_before[node]) << node;
  }
  EXPECT_EQ(ask(after), answers_before);
}

}  // namespace
}  // namespace numalign::extender::integration
