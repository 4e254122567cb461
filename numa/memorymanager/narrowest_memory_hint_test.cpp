#include "numa/memorymanager/narrowest_memory_hint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <random>

#include "numa/memorymanager/static_policy.h"

namespace numalign::numa {
namespace {

constexpr std::uint64_t kGi = 1ULL << 30;
constexpr std::uint64_t kMi = 1ULL << 20;

// What FindNarrowestMemoryHint must equal: findBestHint over the whole calculateHints list,
// keeping the masks that contain `within`.
std::optional<TopologyHint> FromWholeList(const MemoryStaticPolicy& mm, const std::string& uid,
                                          const MemoryRequest& request, NumaMask within) {
  std::vector<TopologyHint> holding;
  for (const auto& h : mm.CalculateHintList(uid, request)) {
    if (within.IsSubsetOf(*h.affinity)) holding.push_back(h);
  }
  if (holding.empty()) return std::nullopt;
  return FindBestMemoryHint(holding);
}

std::string Describe(const std::optional<TopologyHint>& h) {
  if (!h) return "none";
  return h->affinity->ToString() + (h->preferred ? " preferred" : " not preferred");
}

PodRequests InitPod(const std::string& uid, const MemoryRequest& request) {
  PodRequests p;
  p.uid = uid;
  p.key = "default/" + uid;
  p.qos = QosClass::kGuaranteed;
  ContainerRequest init;
  init.name = "init";
  init.role = ContainerRole::kInit;
  init.memory = request;
  ContainerRequest app;
  app.name = "app";
  app.memory = request;
  p.containers = {init, app};
  p.init_count = 1;
  return p;
}

// A machine of `ids` nodes, each with 8 Gi of memory and, when asked, 1 Gi and 2 Mi hugepages.
std::optional<MemoryStaticPolicy> PolicyFor(const std::vector<int>& ids, bool hugepages_1g,
                                            bool hugepages_2m, Machine* machine,
                                            std::optional<NumaIdMap>* id_map) {
  for (int id : ids) {
    NumaNodeInfo n;
    n.id = id;
    n.memory = 8 * kGi;
    if (hugepages_1g) n.hugepages[kGi] = 2 * kGi;
    if (hugepages_2m) n.hugepages[2 * kMi] = 512 * kMi;
    machine->numa_nodes.push_back(n);
  }
  std::string error;
  *id_map = NumaIdMap::Create(ids, &error);
  EXPECT_TRUE(id_map->has_value()) << error;
  auto mm =
      MemoryStaticPolicy::Create(*machine, **id_map, {{ids.front(), {{"memory", kMi}}}}, &error);
  EXPECT_TRUE(mm.has_value()) << error;
  return mm;
}

// A random state of the memory manager: capacities in small units so that masks often tie or
// just miss, free above Allocatable now and then, sums that wrap, unused nodes, nodes holding
// single-node blocks, multi-node groups, and a few nodes whose group makes no sense.
MemoryMachineState RandomState(const MemoryMachineState& base, std::mt19937_64& rng) {
  MemoryMachineState s = base;
  auto pick = [&](std::uint64_t n) { return rng() % n; };
  const bool wraps = pick(25) == 0;
  for (auto& node : s.nodes()) {
    for (auto& t : node.tables) {
      t.allocatable = pick(9) * kGi / 2;
      if (wraps && pick(3) == 0) t.allocatable = ~std::uint64_t{0} - pick(4) * kGi;
      t.free = pick(8) == 0 ? t.allocatable + pick(3) * kGi
                            : (t.allocatable == 0 ? 0 : pick(t.allocatable / kMi + 1) * kMi);
      t.reserved = t.allocatable - t.free;
    }
  }
  std::vector<int> order = s.positions();
  std::shuffle(order.begin(), order.end(), rng);
  std::uint64_t universe = 0;
  for (int p : order) universe |= std::uint64_t{1} << p;
  for (std::size_t i = 0; i < order.size();) {
    NodeMemoryState& node = s.AtPosition(order[i]);
    const auto kind = pick(10);
    if (kind < 4) {  // unused
      ++i;
    } else if (kind < 6) {  // single-node blocks
      node.number_of_assignments = 1 + static_cast<int>(pick(3));
      ++i;
    } else if (kind < 9) {  // a group of 2..4 nodes
      const std::size_t size = std::min<std::size_t>(2 + pick(3), order.size() - i);
      std::uint64_t group = 0;
      for (std::size_t j = i; j < i + size; ++j) group |= std::uint64_t{1} << order[j];
      for (std::size_t j = i; j < i + size; ++j) {
        s.AtPosition(order[j]).number_of_assignments = 1 + static_cast<int>(pick(2));
        s.AtPosition(order[j]).cells = NumaMask(group);
      }
      i += size;
    } else {  // an inconsistent node: any group, used or not
      node.cells = NumaMask(universe & rng());
      node.number_of_assignments = static_cast<int>(pick(2));
      ++i;
    }
  }
  return s;
}

MemoryRequest RandomRequest(const MemoryMachineState& s, std::mt19937_64& rng) {
  std::vector<std::string> types = {"memory", "hugepages-1Gi", "hugepages-2Mi", "hugepages-16Gi"};
  // Mostly plain memory, whose masks are listed most often; a type the machine lacks is last.
  std::shuffle(types.begin(), types.begin() + 3, rng);
  const std::size_t count = rng() % 2 == 0 ? 1 : 1 + rng() % 4;
  if (count == 1) types[0] = "memory";
  MemoryRequest request;
  for (std::size_t k = 0; k < count; ++k) {
    std::uint64_t bytes = 0;
    switch (rng() % 12) {
      case 0:
        bytes = 0;
        break;
      case 1:  // more than the whole machine holds
        bytes = s.nodes().size() * 10 * kGi;
        break;
      default:  // up to about three nodes' worth
        bytes = (rng() % 24) * kGi / 2;
        break;
    }
    request.emplace_back(types[k], bytes);
  }
  std::sort(request.begin(), request.end());
  return request;
}

NumaMask RandomWithin(const MemoryMachineState& s, const std::vector<ReusableMemory>& reusable,
                      std::mt19937_64& rng) {
  std::uint64_t universe = 0;
  for (int p : s.positions()) universe |= std::uint64_t{1} << p;
  switch (rng() % 8) {
    case 0:
    case 1:
    case 2:
      return NumaMask();
    case 3: {  // one node
      const auto& pos = s.positions();
      return NumaMask(std::uint64_t{1} << pos[rng() % pos.size()]);
    }
    case 4:  // a node no mask of this machine holds
      return NumaMask(std::uint64_t{1} << 63);
    case 5:
      if (!reusable.empty()) return reusable[rng() % reusable.size()].mask;
      [[fallthrough]];
    default:
      return NumaMask(universe & rng() & rng());
  }
}

TEST(NarrowestMemoryHintTest, EqualsFindBestHintOverTheWholeListOnRandomStates) {
  std::mt19937_64 rng(20261122);
  int compared = 0;
  int found = 0;
  int above_minimum = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    const int nodes = 1 + static_cast<int>(rng() % 17);
    std::vector<int> ids;
    const int stride = 1 + static_cast<int>(rng() % 2);
    for (int i = 0; i < nodes; ++i) ids.push_back(i * stride);
    Machine machine;
    std::optional<NumaIdMap> id_map;
    auto mm = PolicyFor(ids, rng() % 2 == 0, rng() % 3 == 0, &machine, &id_map);
    ASSERT_TRUE(mm.has_value());
    mm->Restore(RandomState(mm->default_state(), rng), {});

    // Give pod "p" reusable memory: an init container allocated on one of its own hints.
    const MemoryRequest init_request = RandomRequest(mm->machine_state(), rng);
    const PodRequests p = InitPod("p", init_request);
    const auto init_hints = mm->CalculateHintList("p", init_request);
    if (!init_hints.empty() && rng() % 4 != 0) {
      const TopologyHint h = init_hints[rng() % init_hints.size()];
      mm->Allocate(p, 0, TopologyHint{h.affinity, false});
    }
    std::vector<ReusableMemory> reusable;
    if (const auto* blocks = mm->Blocks("p", "init")) {
      for (const auto& b : *blocks) reusable.push_back(ReusableMemory{b.affinity, b.type, b.size});
      // Starting the app container releases the init container's nodes but keeps its memory
      // reusable: then masks of unused nodes count reusable memory too.
      if (rng() % 2 == 0) mm->ContainerStarted(p, 1);
    }

    const int queries = nodes >= 14 ? 2 : 6;
    for (int q = 0; q < queries; ++q) {
      const std::string uid = rng() % 2 == 0 ? "p" : "q";
      // Half of the queries for "p" ask for what its init container holds or a little more, so
      // that the reusable memory decides.
      MemoryRequest request = RandomRequest(mm->machine_state(), rng);
      if (uid == "p" && rng() % 2 == 0) {
        request = init_request;
        for (auto& [name, bytes] : request) bytes += (rng() % 4) * kGi / 2;
      }
      const NumaMask within = RandomWithin(mm->machine_state(), reusable, rng);
      const auto expected = FromWholeList(*mm, uid, request, within);
      const auto actual = mm->NarrowestHint(uid, request, within);
      ASSERT_EQ(Describe(actual), Describe(expected))
          << "trial " << trial << " query " << q << " nodes " << nodes << " within "
          << within.ToString();
      ++compared;
      if (expected) {
        ++found;
        if (!expected->preferred) ++above_minimum;
      }
    }
  }
  // The random states must exercise both outcomes and hints above the minimal size.
  std::cout << compared << " compared, " << found << " found, " << above_minimum
            << " above the minimal size\n";
  EXPECT_GT(compared, 5000);
  EXPECT_GT(found, compared / 8);
  EXPECT_GT(above_minimum, 100);
  EXPECT_LT(found, compared);
}

// Four nodes where only {0,3} and {1,2} can take the request: IterateBitMasks meets {0,3} first,
// but findBestHint keeps the smaller integer, {1,2}.
TEST(NarrowestMemoryHintTest, PicksTheSmallestIntegerOfASizeNotTheFirstVisited) {
  Machine machine;
  std::optional<NumaIdMap> ids;
  auto mm = PolicyFor({0, 1, 2, 3}, false, false, &machine, &ids);
  ASSERT_TRUE(mm.has_value());
  MemoryMachineState s = mm->default_state();
  const int memory = s.ResourceIndex("memory");
  const std::uint64_t free[] = {3 * kGi, 1 * kGi, 3 * kGi, 5 * kGi};
  for (int p = 0; p < 4; ++p) {
    auto& t = s.AtPosition(p).tables[memory];
    t.allocatable = 6 * kGi;
    t.free = free[p];
  }
  const MemoryRequest request = {{"memory", 4 * kGi}};
  // Nodes 0 and 3 form a group, so neither takes a single-node mask and no other mask uses them.
  s.AtPosition(3).number_of_assignments = 1;
  s.AtPosition(3).cells = NumaMask::Of({0, 3});
  s.AtPosition(0).number_of_assignments = 1;
  s.AtPosition(0).cells = NumaMask::Of({0, 3});
  mm->Restore(s, {});
  const auto hint = mm->NarrowestHint("q", request, NumaMask());
  ASSERT_TRUE(hint.has_value());
  EXPECT_EQ(hint->affinity, NumaMask::Of({1, 2}));
  EXPECT_FALSE(hint->preferred);  // one node's Allocatable (6 Gi) would hold 4 Gi
  EXPECT_EQ(Describe(hint), Describe(FromWholeList(*mm, "q", request, NumaMask())));
}

// The extension keeps only masks holding the hint. Node 0 holds single-node blocks, so no mask of
// two or more nodes may use it: {1} extends to {1,2}, and {0} extends to nothing.
TEST(NarrowestMemoryHintTest, ExtensionKeepsMasksHoldingTheHint) {
  Machine machine;
  std::optional<NumaIdMap> ids;
  auto mm = PolicyFor({0, 1, 2}, false, false, &machine, &ids);
  ASSERT_TRUE(mm.has_value());
  MemoryMachineState s = mm->default_state();
  s.AtPosition(0).number_of_assignments = 1;
  mm->Restore(s, {});
  const MemoryRequest request = {{"memory", 12 * kGi}};
  const auto hint = mm->NarrowestHint("q", request, NumaMask::Of({1}));
  ASSERT_TRUE(hint.has_value());
  EXPECT_EQ(hint->affinity, NumaMask::Of({1, 2}));
  EXPECT_TRUE(hint->preferred);
  EXPECT_FALSE(mm->NarrowestHint("q", request, NumaMask::Of({0})).has_value());
}

}  // namespace
}  // namespace numalign::numa
