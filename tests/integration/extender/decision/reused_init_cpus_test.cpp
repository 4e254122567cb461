#include "extender/view/reused_init_cpus.h"

#include <gtest/gtest.h>

#include "extender/bind/decision_builder.h"
#include "extender/view/node_view.h"
#include "extender/view/nrt_node_model.h"
#include "numa/allocation/allocation_annotation.h"
#include "numa/allocation/apply_decision.h"
#include "numa/cpumanager/test_machines.h"
#include "numa/pod/pod_spec.h"
#include "test_cluster.h"

namespace numalign::extender {
namespace {

using testing::Container;
using testing::MakeNrt;
using testing::MakePod;
using testing::Q;

// The node behind MakeNrt("n1", "single-numa-node", 2, 4) as its agent sees it: two NUMA nodes
// of two cores with two SMT threads each (node 0: cores {0,4} {1,5}; node 1: {2,6} {3,7}), CPU
// 0 and 1Gi of node 0 reserved.
numa::NodeAdmitter AgentAdmitter() {
  numa::Machine machine = numa::testing::SmtMachine(1, 2, 2, 2);
  for (auto& node : machine.numa_nodes) node.memory = 8ull << 30;
  numa::KubeletNumaConfig config;
  config.topology_manager_policy = "single-numa-node";
  config.cpu_manager_policy = "static";
  config.reserved_system_cpus = "0";
  config.memory_manager_policy = "Static";
  config.eviction_hard = std::map<std::string, std::string>{};
  config.system_reserved = {{"memory", Q("1Gi")}};
  config.reserved_memory = {numa::MemoryReservation{0, {{"memory", Q("1Gi")}}}};
  std::string error;
  auto admitter = numa::NodeAdmitter::Create(machine, config, &error);
  EXPECT_TRUE(admitter) << error;
  return std::move(*admitter);
}

std::vector<std::size_t> FreeCpusPerNuma(const numa::NodeAdmitter& admitter) {
  std::vector<std::size_t> out;
  const numa::CpuSet free = admitter.cpu_policy()->AvailableCpus();
  for (const auto& node : admitter.machine().numa_nodes) {
    out.push_back(free.IntersectionSize(numa::CpuSet::Of(node.cpus)));
  }
  return out;
}

// What bind and the node's agent do with a pod: the view decides, the agent applies the decision
// (refusing it when the kubelet's allocation leaves the decided NUMA nodes), the view records it.
void BindAndPlace(NodeView& view, numa::NodeAdmitter& agent, kube::Json pod) {
  std::string error;
  const numa::PodRequests requests = numa::ComputePodRequests(*numa::ParsePodJson(pod, &error));
  auto state = view.Get("n1");
  ASSERT_TRUE(state && state->admitter);
  const numa::AdmitResult verdict = state->admitter->Evaluate(requests);
  ASSERT_TRUE(verdict.admit) << verdict.reason;
  const numa::AllocationDecision decision =
      BuildDecision("n1", requests, state->admitter->machine(), verdict);
  const auto refused = numa::ApplyAllocationDecision(agent, requests, decision, "n1");
  ASSERT_FALSE(refused) << "the agent refused the extender's decision: " << *refused;
  pod["spec"]["nodeName"] = "n1";
  pod["status"] = {{"phase", "Running"}};
  pod["metadata"]["annotations"] = {
      {std::string(numa::kAllocationAnnotation), numa::SerializeAllocationDecision(decision)}};
  view.UpsertPod(pod);
}

// On the SMT node the init container takes CPU 4 (the sibling of reserved CPU 0) and the app
// container the whole core {1,5}: the init CPU is not reused and stays held, node 0 is full. The
// view's single-thread model would reuse it and believe node 0 has a CPU left, deciding the next
// 1-CPU pod there; the agent would have to take a CPU of node 1 and refuse.
TEST(ReusedInitCpusTest, ViewNeverSeesMoreFreeCpusThanTheAgentWhateverTheSmtLayout) {
  NodeView view;
  view.UpsertNrt(MakeNrt("n1", "single-numa-node", 2, 4));
  numa::NodeAdmitter agent = AgentAdmitter();

  kube::Json multi = MakePod("multi", "2", "1Gi", true, "2026-11-22T10:00:01Z");
  multi["spec"]["initContainers"] = kube::Json::array({Container("init", "1", "512Mi")});
  BindAndPlace(view, agent, multi);
  EXPECT_EQ(FreeCpusPerNuma(agent), (std::vector<std::size_t>{0, 4}));
  auto free_seen = FreeCpusPerNuma(*view.Get("n1")->admitter);
  EXPECT_EQ(free_seen, (std::vector<std::size_t>{0, 4}));

  BindAndPlace(view, agent, MakePod("one", "1", "1Gi", true, "2026-11-22T10:00:02Z"));
  free_seen = FreeCpusPerNuma(*view.Get("n1")->admitter);
  const auto free_actual = FreeCpusPerNuma(agent);
  for (std::size_t n = 0; n < free_actual.size(); ++n) {
    EXPECT_LE(free_seen[n], free_actual[n]) << "NUMA node " << n;
  }
}

// Where the app container does reuse the init CPU on the node, the charge is one CPU more than
// the node holds: pessimistic by at most the init containers' CPUs, and freed with the pod.
TEST(ReusedInitCpusTest, ChargeIsHeldUnderThePodAndFreedWithIt) {
  std::string error;
  auto model = BuildNodeModel(
      kube::ParseNodeResourceTopology(MakeNrt("n1", "single-numa-node", 2, 4)), &error);
  ASSERT_TRUE(model) << error;
  auto admitter = CreateAdmitter(*model, &error);
  ASSERT_TRUE(admitter) << error;
  kube::Json pod = MakePod("multi", "2", "1Gi");
  pod["spec"]["initContainers"] = kube::Json::array({Container("init", "1", "512Mi")});
  const numa::PodRequests requests = numa::ComputePodRequests(*numa::ParsePodJson(pod, &error));
  ASSERT_TRUE(admitter->Admit(requests).admit);
  const auto before = FreeCpusPerNuma(*admitter);
  ChargeReusedInitCpus(*admitter, requests);
  const auto after = FreeCpusPerNuma(*admitter);
  EXPECT_EQ(before[0] + before[1] - 1, after[0] + after[1]) << "one reused init CPU charged";
  EXPECT_EQ(admitter->cpu_policy()->Assigned("uid-multi", kReusedInitCpusContainer).size(), 1u);
  ASSERT_TRUE(admitter->Remove("uid-multi"));
  EXPECT_EQ(FreeCpusPerNuma(*admitter), (std::vector<std::size_t>{3, 4}));
}

}  // namespace
}  // namespace numalign::extender
