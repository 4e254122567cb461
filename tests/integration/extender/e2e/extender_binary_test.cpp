// numalign-extender, the binary, against the test API server (or KUBECONFIG's cluster): what
// main() wires (API client from --kubeconfig, informers, NUMA decider, /readyz, /metrics).
#include <gtest/gtest.h>

#include <thread>

#include "extender/testing/http_client.h"
#include "extender/testing/scheduler_driver.h"
#include "kube/objects/pod.h"
#include "numa/allocation/allocation_annotation.h"
#include "tests/integration/extender/e2e/child_process.h"
#include "tests/integration/extender/e2e/numa_test_cluster.h"
#include "tests/support/apiserver/test_api_server.h"

namespace numalign::extender::integration {
namespace {

using namespace std::chrono_literals;

constexpr const char* kTopologyAffinityError =
    "TopologyAffinityError: Resources cannot be allocated with Topology locality";

unsigned ReadyStatus(testing::HttpClient& client) {
  try {
    return client.get("/readyz", 2s).status;
  } catch (const testing::TransportError&) {
    return 0;
  }
}

TEST(ExtenderBinaryTest, ReadyAfterSyncFiltersInKubeletWordsAndBindsIdempotently) {
  kube::integration::KubeTestEnv env;
  env.EnsureNrtCrd();
  NumaTestCluster cluster(env);
  const std::string node = cluster.AddNode("single-numa-node");
  if (env.local()) {
    // The first NRT list answers late, so /readyz is observably 503 before the sync.
    env.server().InjectFaults(
        {.path_prefix = "/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies",
         .method = "GET",
         .latency = 1500ms,
         .count = 1});
  }
  auto extender =
      StartExtender(NUMALIGN_EXTENDER_BINARY, {"--kubeconfig=" + env.kubeconfig_path(), "--v=2"});
  ASSERT_TRUE(extender->WaitServing(10000)) << extender->Log();

  testing::HttpClient client({.port = extender->port()});
  if (env.local()) EXPECT_EQ(ReadyStatus(client), 503u) << extender->Log();
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (ReadyStatus(client) != 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(ReadyStatus(client), 200u) << extender->Log();

  testing::ExtenderConfig config;
  config.url_prefix = "http://127.0.0.1:" + std::to_string(extender->port()) + "/numalign";
  config.bind_verb = "bind";
  testing::SchedulerDriver scheduler(config);
  const auto nodes = cluster.DriverNodes();

  // 9 CPUs fit no single NUMA node (7 + 8 allocatable): the kubelet's rejection, verbatim.
  kube::Json big = cluster.CreatePod("big", "9", "1Gi");
  testing::ScheduleOutcome rejected = scheduler.schedule(big, nodes);
  EXPECT_EQ(rejected.result, testing::ScheduleOutcome::Result::kUnschedulable);
  ASSERT_EQ(rejected.statuses.count(node), 1u);
  EXPECT_EQ(rejected.statuses.at(node).reason, kTopologyAffinityError);

  kube::Json small = cluster.CreatePod("small", "4", "1Gi");
  testing::ScheduleOutcome scheduled = scheduler.schedule(small, nodes);
  ASSERT_EQ(scheduled.result, testing::ScheduleOutcome::Result::kScheduled) << scheduled.error;
  ASSERT_EQ(scheduled.node, node);
  testing::BindOutcome bound = scheduler.bind_pod(small, node);
  ASSERT_TRUE(bound.bound) << (bound.errors.empty() ? "" : bound.errors.front());

  kube::Json after = cluster.GetPod("small");
  EXPECT_EQ(kube::PodView(after).NodeName(), node);
  auto annotation = kube::PodView(after).Annotation(std::string(numa::kAllocationAnnotation));
  ASSERT_TRUE(annotation);
  std::string error;
  auto decision = numa::ParseAllocationDecision(*annotation, &error);
  ASSERT_TRUE(decision) << error;
  EXPECT_EQ(decision->node, node);
  EXPECT_EQ(decision->pod_uid, kube::UidOf(small));
  ASSERT_EQ(decision->containers.size(), 1u);
  EXPECT_EQ(decision->containers[0].exclusive_cpus, 4);
  EXPECT_EQ(decision->containers[0].numa.at("cpu").size(), 1u);

  // The scheduler retries a bind whose reply it lost: same uid, same node, same answer, and
  // the decision is not rewritten.
  EXPECT_EQ(scheduler.bind({"small", env.ns(), kube::UidOf(small), node}), "");
  kube::Json again = cluster.GetPod("small");
  EXPECT_EQ(kube::PodView(again).Annotation(std::string(numa::kAllocationAnnotation)), annotation);
  EXPECT_EQ(FindOvercommits(cluster.nrts(), cluster.ListPods()), std::vector<std::string>{});

  const std::string metrics = client.get("/metrics", 2s).body;
  EXPECT_NE(metrics.find("numalign_extender_cache_entries{cache=\"nrts\"}"), std::string::npos);
  EXPECT_NE(metrics.find("numalign_extender_cache_entries{cache=\"pods\"}"), std::string::npos);
  EXPECT_NE(metrics.find("numalign_extender_cache_entries{cache=\"admitter_templates\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.find("numalign_extender_decisions_total{verb=\"filter\",outcome=\"failed\"}"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("numalign_extender_decisions_total{verb=\"bind\",outcome=\"bound\"}"),
            std::string::npos);
  EXPECT_EQ(extender->Stop(), 0) << extender->Log();
}

TEST(ExtenderBinaryTest, UnreachableApiIsAStartupErrorNotACrash) {
  auto extender = StartExtender(NUMALIGN_EXTENDER_BINARY, {"--kubeconfig=/nonexistent/kubeconfig"});
  EXPECT_FALSE(extender->WaitServing(5000));
  EXPECT_NE(extender->Log().find("kubeconfig"), std::string::npos) << extender->Log();
}

}  // namespace
}  // namespace numalign::extender::integration
