#include "numa/memorymanager/machine_state.h"

#include <algorithm>
#include <bit>
#include <map>
#include <mutex>
#include <set>

namespace numalign::numa {

namespace {

std::shared_ptr<const MemoryMachineState::MaskOrder> BuildMaskOrder(
    const std::vector<int>& positions) {
  auto order = std::make_shared<MemoryMachineState::MaskOrder>();
  std::vector<int> dense_bits;
  for (std::size_t i = 0; i < positions.size(); ++i) dense_bits.push_back(static_cast<int>(i));
  IterateMasks(dense_bits, [&](NumaMask dense) {
    order->dense.push_back(static_cast<std::uint32_t>(dense.value()));
    std::uint64_t bits = 0;
    for (std::uint64_t b = dense.value(); b != 0; b &= b - 1) {
      bits |= std::uint64_t{1} << positions[std::countr_zero(b)];
    }
    order->masks.push_back(NumaMask(bits));
    order->counts.push_back(static_cast<std::uint8_t>(dense.Count()));
    return true;
  });
  order->dense.shrink_to_fit();
  order->masks.shrink_to_fit();
  order->counts.shrink_to_fit();
  return order;
}

}  // namespace

// The order depends on the node positions alone, and on a 17-node machine it takes 1.7 MB: a
// process holding thousands of node states (the extender, the simulator) shares one per
// layout. Entries are weak, so a layout nobody uses any more is rebuilt when it comes back.
std::shared_ptr<const MemoryMachineState::MaskOrder> MemoryMachineState::SharedMaskOrder(
    const std::vector<int>& positions) {
  static std::mutex mutex;
  static std::map<std::vector<int>, std::weak_ptr<const MaskOrder>> by_positions;
  std::lock_guard lock(mutex);
  if (auto it = by_positions.find(positions); it != by_positions.end()) {
    if (auto order = it->second.lock()) return order;
  }
  std::erase_if(by_positions, [](const auto& entry) { return entry.second.expired(); });
  auto order = BuildMaskOrder(positions);
  by_positions[positions] = order;
  return order;
}

MemoryMachineState MemoryMachineState::Default(const Machine& machine, const NumaIdMap& ids,
                                               const SystemReservedMemory& reserved) {
  MemoryMachineState s;
  s.ids_ = std::make_shared<const NumaIdMap>(ids);
  // Every node gets every hugepage size the machine knows (cAdvisor lists all sizes on all
  // nodes, zero pages included), so lookups never miss.
  std::set<std::uint64_t> page_sizes;
  for (const auto& n : machine.numa_nodes) {
    for (const auto& [size, bytes] : n.hugepages) page_sizes.insert(size);
  }
  std::vector<std::string> names{"memory"};
  for (auto size : page_sizes) names.push_back(HugepageResourceName(size));
  std::sort(names.begin(), names.end());
  s.resources_ = std::make_shared<const std::vector<std::string>>(names);
  s.index_of_position_.fill(-1);

  auto reserved_for = [&](int node, const std::string& name) -> std::uint64_t {
    auto n = reserved.find(node);
    if (n == reserved.end()) return 0;
    auto r = n->second.find(name);
    return r == n->second.end() ? 0 : r->second;
  };
  for (const auto& n : machine.numa_nodes) {
    NodeMemoryState node;
    node.id = n.id;
    const int position = ids.PositionOf(n.id);
    node.cells = NumaMask(std::uint64_t{1} << position);
    node.tables.resize(names.size());
    std::uint64_t hugepage_total = 0;
    for (auto size : page_sizes) {
      const std::string name = HugepageResourceName(size);
      auto pool = n.hugepages.find(size);
      const std::uint64_t total = pool == n.hugepages.end() ? 0 : pool->second;
      MemoryTable& t = node.tables[s.ResourceIndex(name)];
      t.total = total;
      t.system_reserved = reserved_for(n.id, name);
      t.allocatable = t.free = total - t.system_reserved;
      hugepage_total += total;
    }
    MemoryTable& mem = node.tables[s.ResourceIndex("memory")];
    mem.total = n.memory;
    mem.system_reserved = reserved_for(n.id, "memory");
    mem.allocatable = mem.free = n.memory - mem.system_reserved - hugepage_total;
    s.index_of_position_[position] = static_cast<int>(s.nodes_.size());
    s.positions_.push_back(position);
    s.nodes_.push_back(std::move(node));
  }
  if (static_cast<int>(s.positions_.size()) <= kMaxOrderedNodes) {
    s.mask_order_ = SharedMaskOrder(s.positions_);
  }
  return s;
}

int MemoryMachineState::ResourceIndex(const std::string& name) const {
  const auto& r = *resources_;
  auto it = std::lower_bound(r.begin(), r.end(), name);
  return it != r.end() && *it == name ? static_cast<int>(it - r.begin()) : -1;
}

}  // namespace numalign::numa
