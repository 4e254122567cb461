#include "numa/admission/node_admitter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

namespace numalign::numa {
namespace {

using nlohmann::json;
constexpr std::uint64_t kGi = 1ULL << 30;
constexpr std::uint64_t kMi = 1ULL << 20;

// `nodes` NUMA nodes, `cores` single-thread CPUs each, 4 Gi Allocatable each (node 0 carries the
// 1100 Mi the kubelet reserves), CPU 0 reserved.
Machine MakeMachine(int nodes, int cores) {
  Machine m;
  int cpu = 0;
  for (int i = 0; i < nodes; ++i) {
    NumaNodeInfo n;
    n.id = i;
    n.memory = 4 * kGi + (i == 0 ? 1100 * kMi : 0);
    n.hugepages[2 * kMi] = 0;
    for (int c = 0; c < cores; ++c, ++cpu) {
      n.cpus.push_back(cpu);
      m.cpus.push_back(LogicalCpu{cpu, cpu, i, i});
    }
    m.numa_nodes.push_back(n);
    for (int j = 0; j < nodes; ++j) m.distances[i][j] = i == j ? 10 : 20;
  }
  return m;
}

KubeletNumaConfig Config(const std::string& policy, const std::string& scope = "container") {
  std::string error;
  auto c = ParseKubeletConfigJson(
      json{{"topologyManagerPolicy", policy},
           {"topologyManagerScope", scope},
           {"cpuManagerPolicy", "static"},
           {"reservedSystemCPUs", "0"},
           {"memoryManagerPolicy", "Static"},
           {"reservedMemory", {{{"numaNode", 0}, {"limits", {{"memory", "1100Mi"}}}}}},
           {"systemReserved", {{"memory", "600Mi"}}},
           {"kubeReserved", {{"memory", "400Mi"}}}},
      &error);
  EXPECT_TRUE(c) << error;
  return *c;
}

NodeAdmitter Make(const std::string& policy, const std::string& scope = "container", int nodes = 2,
                  int cores = 5) {
  std::string error;
  auto a = NodeAdmitter::Create(MakeMachine(nodes, cores), Config(policy, scope), &error);
  EXPECT_TRUE(a) << error;
  return *a;
}

json Container(const std::string& name, const std::string& cpu, const std::string& mem) {
  json r = {{"cpu", cpu}, {"memory", mem}};
  return {{"name", name}, {"resources", {{"requests", r}, {"limits", r}}}};
}

PodSpec Pod(const std::string& name, json containers, json init = json::array()) {
  std::string error;
  auto p = ParsePodJson(
      json{{"metadata", {{"name", name}, {"namespace", "default"}, {"uid", "uid-" + name}}},
           {"spec", {{"containers", containers}, {"initContainers", init}}}},
      &error);
  EXPECT_TRUE(p) << error;
  return *p;
}

TEST(NodeAdmitterTest, E2RestrictedRejectsBestEffortAdmits) {
  PodSpec p = Pod("p", json::array({Container("c", "2", "5Gi")}));
  AdmitResult r = Make("restricted").Admit(p);
  EXPECT_FALSE(r.admit);
  EXPECT_EQ(r.reason, "TopologyAffinityError");
  EXPECT_EQ(r.message, "Resources cannot be allocated with Topology locality");
  AdmitResult s = Make("single-numa-node").Admit(p);
  EXPECT_EQ(s.reason, "TopologyAffinityError");
  AdmitResult b = Make("best-effort").Admit(p);
  ASSERT_TRUE(b.admit) << b.message;
  EXPECT_EQ(b.containers.at("c").memory_numa.at("memory"), (std::vector<int>{0, 1}));
  EXPECT_EQ(b.containers.at("c").cpus.size(), 2u);
  EXPECT_EQ(b.hints.at("c").numa_nodes, (std::vector<int>{0, 1}));
  EXPECT_FALSE(b.hints.at("c").preferred);
  EXPECT_FALSE(b.AllPreferred());
  AdmitResult small =
      Make("best-effort").Admit(Pod("s", json::array({Container("c", "2", "1Gi")})));
  ASSERT_TRUE(small.admit);
  EXPECT_EQ(small.hints.at("c").numa_nodes, (std::vector<int>{0}));
  EXPECT_TRUE(small.AllPreferred());
}

TEST(NodeAdmitterTest, E2bFractionalCpuIsAdmittedUnderRestricted) {
  AdmitResult r = Make("restricted").Admit(Pod("p", json::array({Container("c", "1500m", "5Gi")})));
  ASSERT_TRUE(r.admit) << r.message;
  EXPECT_TRUE(r.containers.at("c").cpus.empty());
  EXPECT_EQ(r.containers.at("c").memory_numa.at("memory"), (std::vector<int>{0, 1}));
}

TEST(NodeAdmitterTest, E4UnexpectedAdmissionErrorAfterTopologyAdmits) {
  NodeAdmitter n = Make("restricted");
  ASSERT_TRUE(n.Admit(Pod("s", json::array({Container("c", "1", "1Gi")}))).admit);
  AdmitResult r = n.Admit(Pod("big", json::array({Container("c", "2", "5Gi")})));
  EXPECT_FALSE(r.admit);
  EXPECT_EQ(r.reason, "UnexpectedAdmissionError");
  EXPECT_EQ(r.message,
            "Allocate failed due to [memorymanager] failed to find NUMA nodes to extend the "
            "current topology hint, which is unexpected");
}

TEST(NodeAdmitterTest, E14CpusWidenMemoryToTwoNodes) {
  PodSpec p = Pod("p", json::array({Container("c", "6", "1Gi")}));
  EXPECT_EQ(Make("restricted").Admit(p).reason, "TopologyAffinityError");
  AdmitResult r = Make("best-effort").Admit(p);
  ASSERT_TRUE(r.admit) << r.message;
  EXPECT_EQ(r.containers.at("c").memory_numa.at("memory"), (std::vector<int>{0, 1}));
}

TEST(NodeAdmitterTest, NonGuaranteedPodsGetNothingExclusive) {
  std::string error;
  auto p = ParsePodJson(
      json{{"metadata", {{"name", "be"}}}, {"spec", {{"containers", {{{"name", "c"}}}}}}}, &error);
  AdmitResult r = Make("single-numa-node").Admit(*p);
  EXPECT_TRUE(r.admit);
  EXPECT_TRUE(r.containers.empty());
}

TEST(NodeAdmitterTest, RejectionRollsBackPartialAllocations) {
  NodeAdmitter n = Make("single-numa-node");
  // c1 fits on one node, c2 does not: the pod is rejected and c1's resources come back.
  AdmitResult r =
      n.Admit(Pod("p", json::array({Container("c1", "2", "3Gi"), Container("c2", "2", "5Gi")})));
  EXPECT_FALSE(r.admit);
  EXPECT_EQ(r.failed_container, "c2");
  EXPECT_TRUE(n.memory_policy()->assignments().empty());
  EXPECT_EQ(n.cpu_policy()->Assignments().size(), 0u);
}

TEST(NodeAdmitterTest, CopiesAreIndependentAndRemoveReleases) {
  NodeAdmitter n = Make("single-numa-node");
  NodeAdmitter copy = n;
  ASSERT_TRUE(copy.Admit(Pod("a", json::array({Container("c", "2", "3Gi")}))).admit);
  EXPECT_TRUE(copy.HasPod("default/a"));
  EXPECT_FALSE(n.HasPod("default/a"));
  EXPECT_TRUE(n.memory_policy()->assignments().empty());
  // Fill both nodes, then a third 3 Gi pod cannot fit until one is removed.
  ASSERT_TRUE(copy.Admit(Pod("b", json::array({Container("c", "2", "3Gi")}))).admit);
  EXPECT_FALSE(copy.Admit(Pod("c", json::array({Container("c", "2", "3Gi")}))).admit);
  EXPECT_TRUE(copy.Remove("uid-a"));
  EXPECT_FALSE(copy.Remove("default/a"));
  EXPECT_TRUE(copy.Admit(Pod("c", json::array({Container("c", "2", "3Gi")}))).admit);
}

TEST(NodeAdmitterTest, PodScopeUsesOneHintForAllContainers) {
  NodeAdmitter n = Make("single-numa-node", "pod");
  AdmitResult r =
      n.Admit(Pod("p", json::array({Container("a", "1", "1Gi"), Container("b", "500m", "1Gi")})));
  ASSERT_TRUE(r.admit) << r.message;
  EXPECT_EQ(r.containers.at("a").memory_numa.at("memory"),
            r.containers.at("b").memory_numa.at("memory"));
}

TEST(NodeAdmitterTest, ConfigurationErrorsUseKubeletMessages) {
  std::string error;
  KubeletNumaConfig c = Config("restricted");
  c.topology_manager_policy_options["max-allowable-numa-nodes"] = "2";
  EXPECT_FALSE(NodeAdmitter::Create(MakeMachine(2, 4), c, &error));
  EXPECT_EQ(error, "the minimum value of \"max-allowable-numa-nodes\" should not be less than 8");
  c = Config("restricted");
  c.reserved_memory.clear();
  EXPECT_FALSE(NodeAdmitter::Create(MakeMachine(2, 4), c, &error));
  EXPECT_EQ(error,
            "the total amount \"0\" of type \"memory\" is not equal to the value \"1153433600\" "
            "determined by Node Allocatable feature");
  EXPECT_FALSE(NodeAdmitter::Create(MakeMachine(9, 1), Config("restricted"), &error));
  EXPECT_EQ(error, "unsupported on machines with more than 8 NUMA Nodes");
  c = Config("sometimes");
  EXPECT_FALSE(NodeAdmitter::Create(MakeMachine(2, 4), c, &error));
  EXPECT_EQ(error, "unknown policy: \"sometimes\"");
}

TEST(KubeletConfigTest, YamlKubeletConfiguration) {
  std::string error;
  auto c = ParseKubeletConfigYaml(R"(apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
topologyManagerPolicy: single-numa-node
topologyManagerScope: pod
topologyManagerPolicyOptions:
  prefer-closest-numa-nodes: "true"
cpuManagerPolicy: static
reservedSystemCPUs: "0,1"
memoryManagerPolicy: Static
reservedMemory:
  - numaNode: 0
    limits:
      memory: 1100Mi
systemReserved:
  memory: 600Mi
  cpu: 500m
evictionHard:
  memory.available: 100Mi
featureGates:
  CPUManagerPolicyAlphaOptions: true
)",
                                  &error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->topology_manager_scope, "pod");
  EXPECT_EQ(c->topology_manager_policy_options.at("prefer-closest-numa-nodes"), "true");
  EXPECT_EQ(*c->reserved_system_cpus, "0,1");
  ASSERT_EQ(c->reserved_memory.size(), 1u);
  EXPECT_EQ(c->reserved_memory[0].limits[0].second.AsInt64(), 1100LL << 20);
  EXPECT_EQ(c->system_reserved.at("cpu").MilliValueCeil(), 500);
  EXPECT_TRUE(c->feature_gates.at("CPUManagerPolicyAlphaOptions"));
  EXPECT_FALSE(ParseKubeletConfigYaml("reservedMemory: [ {numaNode: x} ]", &error));
  EXPECT_FALSE(ParseKubeletConfigYaml("a: [", &error));
  EXPECT_NE(error.find("invalid YAML"), std::string::npos);
}

TEST(NodeAdmitterTest, CheckpointRestoreReproducesTheNode) {
  NodeAdmitter n = Make("best-effort", "container", 2, 5);
  ASSERT_TRUE(n.Admit(Pod("a", json::array({Container("c", "2", "5Gi")}))).admit);
  ASSERT_TRUE(n.Admit(Pod("b", json::array({Container("c", "1", "1Gi")}))).admit);
  const std::string text = SerializeCheckpoint(n.Checkpoint());
  std::string error;
  auto parsed = ParseCheckpoint(text, ChecksumCheck::kVerifyNumalign, &error);
  ASSERT_TRUE(parsed) << error;
  NodeAdmitter restored = Make("best-effort", "container", 2, 5);
  ASSERT_FALSE(restored.Restore(*parsed));
  EXPECT_EQ(restored.Checkpoint(), n.Checkpoint());
  PodSpec next = Pod("c", json::array({Container("c", "1", "1Gi")}));
  AdmitResult x = n.Admit(next);
  AdmitResult y = restored.Admit(next);
  EXPECT_EQ(x.admit, y.admit);
  EXPECT_EQ(x.containers.at("c").cpus, y.containers.at("c").cpus);
  EXPECT_EQ(x.containers.at("c").memory_numa, y.containers.at("c").memory_numa);
  EXPECT_TRUE(restored.Remove("uid-a"));

  MemoryCheckpoint broken = *parsed;
  broken.machine_state.at(1).number_of_assignments += 1;
  NodeAdmitter fresh = Make("best-effort", "container", 2, 5);
  auto err = fresh.Restore(broken);
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "[memorymanager] the expected machine state is different from the real one");
  EXPECT_TRUE(fresh.memory_policy()->assignments().empty());
}

TEST(NodeAdmitterTest, LargeAndSparseNumaIdsDoNotCrash) {
  Machine m = MakeMachine(3, 4);
  const int ids[] = {0, 70, 250};
  for (int i = 0; i < 3; ++i) {
    m.numa_nodes[i].id = ids[i];
    for (int cpu : m.numa_nodes[i].cpus) m.cpus[cpu].numa_node = ids[i];
  }
  m.distances.clear();
  for (int a : ids) {
    for (int b : ids) m.distances[a][b] = a == b ? 10 : 30;
  }
  KubeletNumaConfig c = Config("best-effort");
  c.topology_manager_policy_options["prefer-closest-numa-nodes"] = "true";
  std::string error;
  auto n = NodeAdmitter::Create(m, c, &error);
  ASSERT_TRUE(n) << error;
  AdmitResult r = n->Admit(Pod("p", json::array({Container("c", "2", "6Gi")})));
  ASSERT_TRUE(r.admit) << r.message;
  EXPECT_EQ(r.containers.at("c").memory_numa.at("memory").size(), 2u);
  for (int id : r.containers.at("c").memory_numa.at("memory")) {
    EXPECT_TRUE(id == 0 || id == 70 || id == 250);
  }
}

// The extender's hot path: a one-container Guaranteed pod against an 8-NUMA node, on a copy.
TEST(NodeAdmitterTest, AdmitOnACopyIsFast) {
  NodeAdmitter n = Make("single-numa-node", "container", 8, 8);
  PodRequests pod = ComputePodRequests(Pod("p", json::array({Container("c", "2", "1Gi")})));
  constexpr int kRounds = 2000;
  auto start = std::chrono::steady_clock::now();
  int admitted = 0;
  for (int i = 0; i < kRounds; ++i) {
    NodeAdmitter copy = n;
    admitted += copy.Admit(pod).admit ? 1 : 0;
  }
  const double us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() /
      kRounds;
  EXPECT_EQ(admitted, kRounds);
  RecordProperty("admit_on_copy_us", std::to_string(us));
  std::printf("admit (incl. copy) on 8 NUMA nodes: %.2f us\n", us);
}

}  // namespace
}  // namespace numalign::numa
