#include "numa/memorymanager/machine_state.h"

#include <gtest/gtest.h>

namespace numalign::numa {
namespace {

Machine NodesWithIds(const std::vector<int>& ids, std::uint64_t memory) {
  Machine m;
  for (int id : ids) {
    NumaNodeInfo n;
    n.id = id;
    n.memory = memory;
    m.numa_nodes.push_back(n);
  }
  return m;
}

MemoryMachineState DefaultState(const Machine& machine) {
  std::vector<int> ids;
  for (const auto& n : machine.numa_nodes) ids.push_back(n.id);
  std::string error;
  auto map = NumaIdMap::Create(ids, &error);
  EXPECT_TRUE(map) << error;
  return MemoryMachineState::Default(machine, *map, {});
}

// The mask order of a 17-node machine takes 1.7 MB; thousands of node states (the extender, the
// simulator) must hold one per layout, not one each.
TEST(MemoryMachineStateTest, MachinesOfOneLayoutShareTheMaskOrder) {
  const auto a = DefaultState(NodesWithIds({0, 1, 2, 3}, 8ULL << 30));
  const auto b = DefaultState(NodesWithIds({0, 1, 2, 3}, 16ULL << 30));  // other sizes
  const auto other = DefaultState(NodesWithIds({0, 1, 2, 5}, 8ULL << 30));
  ASSERT_NE(a.mask_order(), nullptr);
  EXPECT_EQ(a.mask_order(), b.mask_order());
  EXPECT_NE(a.mask_order(), other.mask_order());
  // The shared order is the kubelet's IterateBitMasks order over this layout's positions.
  ASSERT_EQ(other.mask_order()->masks.size(), 15u);
  EXPECT_EQ(other.mask_order()->masks[0].value(), 0b0001u);
  std::string error;
  const auto ids = NumaIdMap::Create({0, 1, 2, 5}, &error);
  EXPECT_EQ(other.mask_order()->masks[3], ids->MaskOfIds({5}));
  EXPECT_EQ(other.mask_order()->masks[4], ids->MaskOfIds({0, 1}));  // the first pair
  EXPECT_EQ(other.mask_order()->counts.back(), 4);
}

TEST(MemoryMachineStateTest, AnUnusedLayoutIsRebuiltWhenItComesBack) {
  const MemoryMachineState::MaskOrder* first = nullptr;
  std::size_t size = 0;
  {
    const auto state = DefaultState(NodesWithIds({0, 7}, 8ULL << 30));
    first = state.mask_order();
    size = first->masks.size();
  }
  const auto again = DefaultState(NodesWithIds({0, 7}, 8ULL << 30));
  ASSERT_NE(again.mask_order(), nullptr);
  EXPECT_EQ(again.mask_order()->masks.size(), size);
  std::string error;
  EXPECT_EQ(again.mask_order()->masks.back(), NumaIdMap::Create({0, 7}, &error)->MaskOfIds({0, 7}));
}

}  // namespace
}  // namespace numalign::numa
