#include "numa/memorymanager/static_policy.h"

#include <gtest/gtest.h>

#include "numa/topologymanager/topology_policy.h"

namespace numalign::numa {
namespace {

constexpr std::uint64_t kGi = 1ULL << 30;
constexpr std::uint64_t kMi = 1ULL << 20;

TopologyHint H(std::initializer_list<int> bits, bool preferred) {
  return TopologyHint{NumaMask::Of(bits), preferred};
}

// The worked examples' node: `nodes` NUMA nodes with 4 Gi of memory Allocatable each. Static
// needs some reserved memory, so node 0 gets 1 Mi more memory and reserves exactly that.
struct Node {
  Machine machine;
  std::optional<NumaIdMap> ids;
  std::optional<MemoryStaticPolicy> mm;

  explicit Node(int nodes = 2, std::uint64_t per_node = 4 * kGi,
                std::vector<std::uint64_t> hugepages_1g = {}) {
    std::vector<int> id_list;
    for (int i = 0; i < nodes; ++i) {
      NumaNodeInfo n;
      n.id = i;
      const std::uint64_t hp = i < static_cast<int>(hugepages_1g.size()) ? hugepages_1g[i] : 0;
      n.memory = per_node + hp + (i == 0 ? kMi : 0);
      n.hugepages[kGi] = hp;
      machine.numa_nodes.push_back(n);
      id_list.push_back(i);
    }
    std::string error;
    ids = NumaIdMap::Create(id_list, &error);
    mm = MemoryStaticPolicy::Create(machine, *ids, {{0, {{"memory", kMi}}}}, &error);
    EXPECT_TRUE(mm.has_value()) << error;
  }
  const MemoryTable& Mem(int node) const {
    const auto& s = mm->machine_state();
    return s.AtPosition(node).tables[s.ResourceIndex("memory")];
  }
  const NodeMemoryState& State(int node) const { return mm->machine_state().AtPosition(node); }
};

ContainerRequest C(const std::string& name, MemoryRequest memory,
                   ContainerRole role = ContainerRole::kApp) {
  ContainerRequest c;
  c.name = name;
  c.role = role;
  c.memory = std::move(memory);
  return c;
}

PodRequests Pod(const std::string& uid, std::vector<ContainerRequest> containers,
                std::size_t init_count = 0) {
  PodRequests p;
  p.uid = uid;
  p.key = "default/" + uid;
  p.qos = QosClass::kGuaranteed;
  p.containers = std::move(containers);
  p.init_count = init_count;
  return p;
}

PodRequests MemPod(const std::string& uid, std::uint64_t bytes) {
  return Pod(uid, {C("c", {{"memory", bytes}})});
}

std::vector<TopologyHint> MemoryHints(const ProviderHints& p) {
  auto it = p.by_resource.find("memory");
  if (it == p.by_resource.end() || !it->second) return {};
  return *it->second;
}

TEST(MemoryStaticPolicyTest, E1NeedsBothNodes) {
  Node n;
  auto hints = n.mm->ContainerHints(MemPod("a", 5 * kGi), 0);
  EXPECT_EQ(MemoryHints(hints), (std::vector<TopologyHint>{H({0, 1}, true)}));
}

TEST(MemoryStaticPolicyTest, E1bFitsOneNode) {
  Node n;
  EXPECT_EQ(MemoryHints(n.mm->ContainerHints(MemPod("a", 3 * kGi), 0)),
            (std::vector<TopologyHint>{H({0}, true), H({1}, true), H({0, 1}, false)}));
}

TEST(MemoryStaticPolicyTest, E3GroupBlocksSingleNodeHintsAndE3Prime) {
  Node n;
  PodRequests a = MemPod("a", 5 * kGi);
  ASSERT_FALSE(n.mm->Allocate(a, 0, H({0, 1}, true)));
  EXPECT_EQ(n.Mem(0).reserved, 4 * kGi);
  EXPECT_EQ(n.Mem(0).free, 0u);
  EXPECT_EQ(n.Mem(1).reserved, 1 * kGi);
  EXPECT_EQ(n.Mem(1).free, 3 * kGi);
  EXPECT_EQ(n.State(0).cells, NumaMask::Of({0, 1}));
  EXPECT_EQ(n.State(1).number_of_assignments, 1);

  PodRequests b = MemPod("b", 1 * kGi);
  EXPECT_EQ(MemoryHints(n.mm->ContainerHints(b, 0)), (std::vector<TopologyHint>{H({0, 1}, false)}));
  ASSERT_FALSE(n.mm->Allocate(b, 0, H({0, 1}, false)));  // best-effort admits B
  EXPECT_EQ(n.Mem(1).reserved, 2 * kGi);
  EXPECT_EQ(n.Mem(1).free, 2 * kGi);

  // E3': removing A releases from the lowest ids; the group lingers for B.
  n.mm->RemovePod("a");
  EXPECT_EQ(n.Mem(0).reserved, 0u);
  EXPECT_EQ(n.Mem(0).free, 4 * kGi);
  EXPECT_EQ(n.Mem(1).reserved, 1 * kGi);
  EXPECT_EQ(n.Mem(1).free, 3 * kGi);
  EXPECT_EQ(n.State(0).cells, NumaMask::Of({0, 1}));
  EXPECT_EQ(MemoryHints(n.mm->ContainerHints(MemPod("c", 3 * kGi), 0)),
            (std::vector<TopologyHint>{H({0, 1}, false)}));
}

TEST(MemoryStaticPolicyTest, E4EmptyMapThenExtensionFails) {
  Node n;
  ASSERT_FALSE(n.mm->Allocate(MemPod("s", 1 * kGi), 0, H({0}, true)));
  PodRequests big = MemPod("big", 5 * kGi);
  EXPECT_TRUE(n.mm->ContainerHints(big, 0).by_resource.empty());
  auto err = n.mm->Allocate(big, 0, H({0}, true));
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "[memorymanager] failed to find NUMA nodes to extend the current topology hint");
  EXPECT_EQ(n.Mem(0).reserved, 1 * kGi);  // nothing changed
}

TEST(MemoryStaticPolicyTest, E4bViolationCheckOfV132) {
  Node n;
  ASSERT_FALSE(n.mm->Allocate(MemPod("s", 1 * kGi), 0, H({0}, true)));
  auto err = n.mm->Allocate(MemPod("big", 5 * kGi), 0, H({0, 1}, true));
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "[memorymanager] preferred hint violates NUMA node allocation");
}

TEST(MemoryStaticPolicyTest, E5AndE5bSingletonsBlockGroups) {
  Node n;
  ASSERT_FALSE(n.mm->Allocate(MemPod("s0", 2 * kGi), 0, H({0}, true)));
  EXPECT_EQ(MemoryHints(n.mm->ContainerHints(MemPod("x", 3 * kGi), 0)),
            (std::vector<TopologyHint>{H({1}, true)}));
  ASSERT_FALSE(n.mm->Allocate(MemPod("s1", 2 * kGi), 0, H({1}, true)));
  EXPECT_TRUE(n.mm->ContainerHints(MemPod("x", 3 * kGi), 0).by_resource.empty());
  auto err = n.mm->Allocate(MemPod("x", 3 * kGi), 0, TopologyHint{});
  ASSERT_TRUE(err);
  EXPECT_EQ(*err,
            "[memorymanager] failed to get the default NUMA affinity, no NUMA nodes with enough "
            "memory is available");
}

TEST(MemoryStaticPolicyTest, E6DefaultHintWithoutTopologyManager) {
  Node n;
  PodRequests p = Pod("p", {C("a", {{"memory", 3 * kGi}}), C("b", {{"memory", 3 * kGi}})});
  ASSERT_FALSE(n.mm->Allocate(p, 0, TopologyHint{}));
  ASSERT_FALSE(n.mm->Allocate(p, 1, TopologyHint{}));
  EXPECT_EQ(n.mm->Blocks("p", "a")->front().affinity, NumaMask::Of({0}));
  EXPECT_EQ(n.mm->Blocks("p", "b")->front().affinity, NumaMask::Of({1}));
}

TEST(MemoryStaticPolicyTest, E7HugepagesShareTheMaskList) {
  Node n(2, 4 * kGi, {1 * kGi, 2 * kGi});
  PodRequests p = MemPod("p", 1 * kGi);
  p.containers[0].memory = {{"hugepages-1Gi", 2 * kGi}, {"memory", 1 * kGi}};
  ProviderHints hints = n.mm->ContainerHints(p, 0);
  const std::vector<TopologyHint> expected{H({1}, true), H({0, 1}, false)};
  EXPECT_EQ(*hints.by_resource.at("memory"), expected);
  EXPECT_EQ(*hints.by_resource.at("hugepages-1Gi"), expected);
  std::string error;
  auto tm =
      TopologyPolicy::Create(TopologyPolicyName::kSingleNumaNode, {}, n.machine, *n.ids, &error);
  auto d = tm->Merge({ProviderHints{}, hints});
  EXPECT_TRUE(d.admit);
  EXPECT_EQ(d.best, H({1}, true));
}

TEST(MemoryStaticPolicyTest, E10OneNodeFallsBackToTheDefaultHint) {
  Node n(1, 8 * kGi);
  PodRequests p = MemPod("p", 1 * kGi);
  ProviderHints hints = n.mm->ContainerHints(p, 0);
  EXPECT_EQ(MemoryHints(hints), (std::vector<TopologyHint>{H({0}, true)}));
  std::string error;
  auto tm =
      TopologyPolicy::Create(TopologyPolicyName::kSingleNumaNode, {}, n.machine, *n.ids, &error);
  auto d = tm->Merge({hints});
  EXPECT_EQ(d.best, (TopologyHint{std::nullopt, true}));
  ASSERT_FALSE(n.mm->Allocate(p, 0, d.best));
  EXPECT_EQ(n.mm->Blocks("p", "c")->front().affinity, NumaMask::Of({0}));
}

TEST(MemoryStaticPolicyTest, E14NeverNarrowsTheTopologyManagersMask) {
  Node n;
  ASSERT_FALSE(n.mm->Allocate(MemPod("p", 1 * kGi), 0, H({0, 1}, false)));
  EXPECT_EQ(n.mm->Blocks("p", "c")->front().affinity, NumaMask::Of({0, 1}));
  EXPECT_EQ(n.Mem(0).reserved, 1 * kGi);
  EXPECT_EQ(n.State(1).cells, NumaMask::Of({0, 1}));
}

TEST(MemoryStaticPolicyTest, ExtendsAnInsufficientMaskToTheBestSuperset) {
  Node n(3);
  // TM picked {0} (say, for CPUs) but 5 Gi needs two nodes: the best superset is {0,1}.
  ASSERT_FALSE(n.mm->Allocate(MemPod("p", 5 * kGi), 0, H({0}, false)));
  EXPECT_EQ(n.mm->Blocks("p", "c")->front().affinity, NumaMask::Of({0, 1}));
  // A preferred TM hint may only be extended to a preferred one: with a group over all three
  // nodes, the only mask left for 1 Gi is the (non-preferred) group.
  Node m(3);
  ASSERT_FALSE(m.mm->Allocate(MemPod("g", 9 * kGi), 0, H({0, 1, 2}, true)));
  auto err = m.mm->Allocate(MemPod("p", 1 * kGi), 0, H({0}, true));
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "[memorymanager] failed to find the extended preferred hint");
}

TEST(MemoryStaticPolicyTest, E15InitContainerMemoryIsReused) {
  Node n;
  PodRequests p = Pod(
      "p",
      {C("init", {{"memory", 2 * kGi}}, ContainerRole::kInit), C("app", {{"memory", 3 * kGi}})}, 1);
  ASSERT_FALSE(n.mm->Allocate(p, 0, H({0}, true)));
  EXPECT_EQ(n.Mem(0).reserved, 2 * kGi);
  EXPECT_EQ(MemoryHints(n.mm->ContainerHints(p, 1)),
            (std::vector<TopologyHint>{H({0}, true), H({1}, true)}));
  ASSERT_FALSE(n.mm->Allocate(p, 1, H({0}, true)));
  EXPECT_EQ(n.Mem(0).reserved, 3 * kGi);
  EXPECT_EQ(n.Mem(0).free, 1 * kGi);
  EXPECT_EQ(n.State(0).number_of_assignments, 2);
  EXPECT_EQ(n.mm->Blocks("p", "init")->front().size, 0u);
  EXPECT_EQ(n.mm->Blocks("p", "app")->front().size, 3 * kGi);
  // Starting the app container releases the finished init container.
  n.mm->ContainerStarted(p, 1);
  EXPECT_EQ(n.mm->Blocks("p", "init"), nullptr);
  EXPECT_EQ(n.State(0).number_of_assignments, 1);
  EXPECT_EQ(n.Mem(0).reserved, 3 * kGi);
}

TEST(MemoryStaticPolicyTest, StartingReleasesUnusedInitMemory) {
  Node n;
  PodRequests p = Pod(
      "p",
      {C("init", {{"memory", 3 * kGi}}, ContainerRole::kInit), C("app", {{"memory", 1 * kGi}})}, 1);
  ASSERT_FALSE(n.mm->Allocate(p, 0, H({0}, true)));
  ASSERT_FALSE(n.mm->Allocate(p, 1, H({0}, true)));
  EXPECT_EQ(n.Mem(0).reserved, 3 * kGi);  // app reused 1 Gi of the init's 3 Gi
  EXPECT_EQ(n.mm->Blocks("p", "init")->front().size, 2 * kGi);
  n.mm->ContainerStarted(p, 1);
  EXPECT_EQ(n.Mem(0).reserved, 1 * kGi);
}

TEST(MemoryStaticPolicyTest, SidecarsAreNeverReusedOrReleasedAtStart) {
  Node n;
  PodRequests p = Pod("p",
                      {C("side", {{"memory", 1 * kGi}}, ContainerRole::kRestartableInit),
                       C("app", {{"memory", 1 * kGi}})},
                      1);
  ASSERT_FALSE(n.mm->Allocate(p, 0, H({0}, true)));
  ASSERT_FALSE(n.mm->Allocate(p, 1, H({0}, true)));
  n.mm->ContainerStarted(p, 1);
  EXPECT_EQ(n.Mem(0).reserved, 2 * kGi);
  EXPECT_NE(n.mm->Blocks("p", "side"), nullptr);
}

TEST(MemoryStaticPolicyTest, RegeneratesHintsForExistingBlocks) {
  Node n;
  PodRequests p = MemPod("p", 1 * kGi);
  ASSERT_FALSE(n.mm->Allocate(p, 0, H({1}, true)));
  EXPECT_EQ(MemoryHints(n.mm->ContainerHints(p, 0)), (std::vector<TopologyHint>{H({1}, true)}));
  PodRequests resized = MemPod("p", 2 * kGi);
  EXPECT_TRUE(n.mm->ContainerHints(resized, 0).by_resource.empty());  // size differs: nil
  // Allocate is idempotent.
  ASSERT_FALSE(n.mm->Allocate(p, 0, H({0}, true)));
  EXPECT_EQ(n.mm->Blocks("p", "c")->front().affinity, NumaMask::Of({1}));
}

TEST(MemoryStaticPolicyTest, NonGuaranteedPodsAreIgnored) {
  Node n;
  PodRequests p = MemPod("p", 1 * kGi);
  p.qos = QosClass::kBurstable;
  EXPECT_TRUE(n.mm->ContainerHints(p, 0).by_resource.empty());
  EXPECT_TRUE(n.mm->PodHints(p).by_resource.empty());
  EXPECT_FALSE(n.mm->Allocate(p, 0, H({0}, true)));
  EXPECT_EQ(n.mm->Blocks("p", "c"), nullptr);
}

TEST(MemoryStaticPolicyTest, StaticNeedsReservedMemory) {
  Node n;
  std::string error;
  EXPECT_FALSE(MemoryStaticPolicy::Create(n.machine, *n.ids, {}, &error));
  EXPECT_EQ(error, "[memorymanager] you should specify the system reserved memory");
}

TEST(MemoryStaticPolicyTest, RefusesMachinesTooLargeToEnumerate) {
  Machine m;
  std::vector<int> ids;
  for (int i = 0; i < 30; ++i) {
    NumaNodeInfo n;
    n.id = i;
    n.memory = kGi;
    m.numa_nodes.push_back(n);
    ids.push_back(i);
  }
  std::string error;
  auto map = NumaIdMap::Create(ids, &error);
  EXPECT_FALSE(MemoryStaticPolicy::Create(m, *map, {{0, {{"memory", kMi}}}}, &error));
  EXPECT_EQ(
      error,
      "[memorymanager] the Static policy supports at most 24 NUMA nodes (this machine has 30)");
}

TEST(MemoryStaticPolicyTest, DefaultStateSubtractsHugepagesAndReservation) {
  Node n(2, 4 * kGi, {2 * kGi, 0});
  const auto& s = n.mm->machine_state();
  EXPECT_EQ(s.resources(), (std::vector<std::string>{"hugepages-1Gi", "memory"}));
  EXPECT_EQ(n.Mem(0).total, 6 * kGi + kMi);
  EXPECT_EQ(n.Mem(0).system_reserved, kMi);
  EXPECT_EQ(n.Mem(0).allocatable, 4 * kGi);
  EXPECT_EQ(s.AtPosition(0).tables[s.ResourceIndex("hugepages-1Gi")].allocatable, 2 * kGi);
  EXPECT_EQ(s.AtPosition(1).tables[s.ResourceIndex("hugepages-1Gi")].total, 0u);
}

TEST(MemoryStaticPolicyTest, FindBestHintPrefersPreferredThenNarrowest) {
  EXPECT_EQ(FindBestMemoryHint({H({0, 1}, false), H({1}, true), H({0}, true)}), H({0}, true));
  EXPECT_EQ(FindBestMemoryHint({}), TopologyHint{});
}

}  // namespace
}  // namespace numalign::numa
