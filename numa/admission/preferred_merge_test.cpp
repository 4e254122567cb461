#include "numa/admission/preferred_merge.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "numa/admission/node_admitter.h"
#include "numa/pod/pod_spec.h"

namespace numalign::numa {
namespace {

constexpr std::uint64_t kMi = 1ULL << 20;
constexpr std::uint64_t kGi = 1ULL << 30;

// Two sockets of four NUMA nodes, two SMT cores (4 CPUs) per node, so requests of a few CPUs
// already need several nodes. Options: sparse OS ids, a memory-only node, and hugepage pools
// (2Mi everywhere, 1Gi on the first socket) so requests of several memory types occur.
Machine EightNodeMachine(bool sparse_ids, bool memory_only_node) {
  Machine m;
  int cpu = 0;
  std::vector<int> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(sparse_ids ? i * 3 + 1 : i);
  if (memory_only_node) ids.push_back(sparse_ids ? 40 : 8);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    NumaNodeInfo n;
    n.id = ids[i];
    const bool with_cpus = i < 8;
    n.memory = 4 * kGi + (i == 0 ? 2 * kGi : 0);
    n.hugepages[2 * kMi] = 512 * kMi;
    n.hugepages[kGi] = i < 4 ? 1 * kGi : 0;
    const int socket = i < 4 ? 0 : 1;
    for (int core = 0; with_cpus && core < 2; ++core) {
      const int core_id = static_cast<int>(i) * 2 + core;
      for (int thread = 0; thread < 2; ++thread, ++cpu) {
        n.cpus.push_back(cpu);
        m.cpus.push_back(LogicalCpu{cpu, core_id, socket, n.id});
      }
    }
    m.numa_nodes.push_back(n);
  }
  for (std::size_t a = 0; a < ids.size(); ++a) {
    for (std::size_t b = 0; b < ids.size(); ++b) {
      const bool same_socket = (a < 4) == (b < 4);
      m.distances[ids[a]][ids[b]] = a == b ? 10 : same_socket ? 12 + int(a + b) % 3 : 32;
    }
  }
  return m;
}

KubeletNumaConfig Config(const Machine& machine, const std::string& policy, bool closest) {
  KubeletNumaConfig c;
  c.topology_manager_policy = policy;
  c.topology_manager_scope = "container";
  c.topology_manager_policy_options["max-allowable-numa-nodes"] = "16";
  if (closest) c.topology_manager_policy_options["prefer-closest-numa-nodes"] = "true";
  c.cpu_manager_policy = "static";
  c.reserved_system_cpus = "0";
  c.memory_manager_policy = "Static";
  c.system_reserved = {{"memory", Quantity::FromInt(static_cast<std::int64_t>(kGi))}};
  MemoryReservation r;
  r.numa_node = machine.numa_nodes.front().id;
  // systemReserved + the default evictionHard memory.available (100Mi), as the kubelet requires.
  r.limits.emplace_back("memory", Quantity::FromInt(static_cast<std::int64_t>(kGi + 100 * kMi)));
  c.reserved_memory.push_back(r);
  return c;
}

Quantity Milli(std::int64_t milli) {
  std::string error;
  auto q = Quantity::Parse(std::to_string(milli) + "m", &error);
  EXPECT_TRUE(q) << error;
  return q.value_or(Quantity());
}

// Random pods: mostly Guaranteed single containers of whole CPUs, sometimes with hugepages, an
// init container (reusable CPUs and memory), several containers, or fractional/Burstable.
PodRequests RandomPod(std::mt19937& random, int n) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
  PodSpec pod;
  pod.namespace_name = "t";
  pod.name = "p" + std::to_string(n);
  pod.uid = "uid-" + pod.name;
  const bool burstable = pick(0, 9) == 0;
  const int apps = pick(0, 5) == 0 ? 2 : 1;
  const bool init = pick(0, 5) == 0;
  for (int i = 0; i < apps + (init ? 1 : 0); ++i) {
    ContainerSpec c;
    c.role = init && i == 0 ? ContainerRole::kInit : ContainerRole::kApp;
    c.name = "c" + std::to_string(i);
    const std::int64_t cpus = pick(1, 6);
    const std::int64_t memory = static_cast<std::int64_t>(pick(1, 16)) * 256 * kMi;
    c.requests = {{"cpu", pick(0, 7) == 0 ? Milli(cpus * 1000 - 500) : Quantity::FromInt(cpus)},
                  {"memory", Quantity::FromInt(memory)}};
    if (pick(0, 3) == 0) {
      c.requests["hugepages-2Mi"] =
          Quantity::FromInt(static_cast<std::int64_t>(pick(1, 4) * 64 * kMi));
    }
    if (pick(0, 7) == 0)
      c.requests["hugepages-1Gi"] = Quantity::FromInt(static_cast<std::int64_t>(kGi));
    c.limits = c.requests;
    if (burstable) c.limits.erase("cpu");
    (c.role == ContainerRole::kApp ? pod.containers : pod.init_containers).push_back(c);
  }
  return ComputePodRequests(pod);
}

struct Counts {
  int decided = 0;
  int fell_back = 0;
};

// For every container the fast path could see on `node`: when MergePreferredMasks decides, its
// decision is the full merge's.
void ExpectShortcutAgrees(const NodeAdmitter& node, const PodRequests& pod, Counts* counts) {
  for (std::size_t i = 0; i < pod.containers.size(); ++i) {
    const auto& c = pod.containers[i];
    const auto cpu = node.cpu_policy()->ContainerPreferredMasks(pod.uid, c.name, c.exclusive_cpus);
    const auto memory = node.memory_policy()->ContainerPreferredMasks(pod, i);
    std::optional<PolicyDecision> fast;
    if (cpu && memory) fast = MergePreferredMasks(node.topology_policy(), *cpu, *memory);
    if (!fast) {
      ++counts->fell_back;
      continue;
    }
    ++counts->decided;
    const PolicyDecision full = node.topology_policy().Merge(std::vector<ProviderHints>{
        node.cpu_policy()->ContainerHints(pod.uid, c.name, c.exclusive_cpus),
        node.memory_policy()->ContainerHints(pod, i)});
    EXPECT_EQ(fast->admit, full.admit) << pod.key << "/" << c.name;
    EXPECT_EQ(fast->best, full.best) << pod.key << "/" << c.name;
  }
}

void ExpectSameResult(const AdmitResult& a, const AdmitResult& b, const std::string& what) {
  EXPECT_EQ(a.admit, b.admit) << what;
  EXPECT_EQ(a.reason, b.reason) << what;
  EXPECT_EQ(a.message, b.message) << what;
  EXPECT_EQ(a.failed_container, b.failed_container) << what;
  ASSERT_EQ(a.containers.size(), b.containers.size()) << what;
  for (const auto& [name, allocation] : a.containers) {
    ASSERT_TRUE(b.containers.count(name)) << what;
    EXPECT_EQ(allocation.cpus, b.containers.at(name).cpus) << what << "/" << name;
    EXPECT_EQ(allocation.memory_numa, b.containers.at(name).memory_numa) << what << "/" << name;
  }
  ASSERT_EQ(a.hints.size(), b.hints.size()) << what;
  for (const auto& [name, hint] : a.hints) {
    EXPECT_EQ(hint.numa_nodes, b.hints.at(name).numa_nodes) << what << "/" << name;
    EXPECT_EQ(hint.preferred, b.hints.at(name).preferred) << what << "/" << name;
  }
}

// Fills nodes with random pods (and removes some) under every aligning policy; before each
// admission the shortcut is checked against the full merge, and the admission itself (which
// takes the shortcut) against a traced admission (which always merges the full lists).
void RunRandomFill(bool sparse_ids, bool memory_only_node, Counts* counts) {
  const Machine machine = EightNodeMachine(sparse_ids, memory_only_node);
  for (const std::string policy : {"best-effort", "restricted", "single-numa-node"}) {
    for (bool closest : {false, true}) {
      if (closest && policy == "single-numa-node") continue;
      std::string error;
      auto node = NodeAdmitter::Create(machine, Config(machine, policy, closest), &error);
      ASSERT_TRUE(node) << error;
      std::mt19937 random(static_cast<unsigned>(policy.size() * 7 + closest + sparse_ids * 3));
      std::vector<std::string> admitted;
      for (int n = 0; n < 80; ++n) {
        const PodRequests pod = RandomPod(random, n);
        ExpectShortcutAgrees(*node, pod, counts);
        NodeAdmitter traced = *node;
        const MemoryCheckpoint before = node->Checkpoint();
        const AdmitResult evaluated = node->Evaluate(pod);
        EXPECT_EQ(node->Checkpoint(), before) << "Evaluate changed the node: " << pod.key;
        EXPECT_FALSE(node->HasPod(pod.uid)) << pod.key;
        const AdmitResult fast = node->Admit(pod);
        EXPECT_TRUE(SameVerdict(evaluated, fast)) << "Evaluate differs from Admit: " << pod.key;
        const AdmitResult full = traced.Admit(pod, /*trace=*/true);
        const std::string what = policy + (closest ? "+closest " : " ") + pod.key;
        ExpectSameResult(fast, full, what);
        EXPECT_EQ(node->Checkpoint(), traced.Checkpoint()) << what;
        if (fast.admit) admitted.push_back(pod.key);
        if (!admitted.empty() && random() % 3 == 0) {
          const std::size_t k = random() % admitted.size();
          EXPECT_TRUE(node->Remove(admitted[k]));
          admitted.erase(admitted.begin() + static_cast<std::ptrdiff_t>(k));
        }
      }
    }
  }
}

TEST(PreferredMergeTest, AgreesWithTheFullMergeWhileNodesFill) {
  Counts counts;
  RunRandomFill(/*sparse_ids=*/false, /*memory_only_node=*/false, &counts);
  // Both branches must have been exercised for the comparison to mean anything.
  EXPECT_GT(counts.decided, 100);
  EXPECT_GT(counts.fell_back, 50);
}

TEST(PreferredMergeTest, AgreesOnSparseIdsAndMemoryOnlyNodes) {
  Counts counts;
  RunRandomFill(/*sparse_ids=*/true, /*memory_only_node=*/true, &counts);
  EXPECT_GT(counts.decided, 100);
  EXPECT_GT(counts.fell_back, 50);
}

TEST(PreferredMergeTest, DoesNotDecideWhenSizesDiffer) {
  // 6 CPUs need two nodes of 4, 1Gi of memory one node: no mask is preferred by both.
  const Machine machine = EightNodeMachine(false, false);
  std::string error;
  auto node = NodeAdmitter::Create(machine, Config(machine, "best-effort", false), &error);
  ASSERT_TRUE(node) << error;
  PodSpec spec;
  spec.namespace_name = "t";
  spec.name = "wide";
  spec.uid = "uid-wide";
  ContainerSpec c;
  c.name = "c";
  c.requests = {{"cpu", Quantity::FromInt(6)}, {"memory", Quantity::FromInt(kGi)}};
  c.limits = c.requests;
  spec.containers.push_back(c);
  const PodRequests pod = ComputePodRequests(spec);
  const auto cpu = node->cpu_policy()->ContainerPreferredMasks(pod.uid, "c", 6);
  const auto memory = node->memory_policy()->ContainerPreferredMasks(pod, 0);
  ASSERT_TRUE(cpu && memory);
  EXPECT_EQ(cpu->size(), 2);
  EXPECT_EQ(memory->size(), 1);
  EXPECT_FALSE(MergePreferredMasks(node->topology_policy(), *cpu, *memory));
}

TEST(PreferredMergeTest, ForEachMaskOfSizeVisitsCombinationsInIntegerOrder) {
  const NumaMask universe = NumaMask::Of({1, 4, 5, 9});
  std::vector<std::uint64_t> seen;
  ForEachMaskOfSize(universe, 2, [&](NumaMask m) {
    seen.push_back(m.value());
    return true;
  });
  const std::vector<std::uint64_t> expected = {(1u << 1) | (1u << 4), (1u << 1) | (1u << 5),
                                               (1u << 4) | (1u << 5), (1u << 1) | (1u << 9),
                                               (1u << 4) | (1u << 9), (1u << 5) | (1u << 9)};
  EXPECT_EQ(seen, expected);
  int all = 0;
  ForEachMaskOfSize(universe, 4, [&](NumaMask m) {
    EXPECT_EQ(m, universe);
    ++all;
    return true;
  });
  EXPECT_EQ(all, 1);
  int none = 0;
  ForEachMaskOfSize(universe, 5, [&](NumaMask) { return ++none, true; });
  EXPECT_EQ(none, 0);
}

}  // namespace
}  // namespace numalign::numa
