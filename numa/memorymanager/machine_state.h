#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "numa/topology/machine.h"
#include "numa/topology/numa_id_map.h"
#include "numa/topologymanager/bitmask.h"

namespace numalign::numa {

// Bytes of one memory resource on one NUMA node (the kubelet's state.MemoryTable). All fields are
// unsigned 64-bit like upstream, so an oversized reservation wraps exactly as it does there.
struct MemoryTable {
  std::uint64_t total = 0;            // "total"
  std::uint64_t system_reserved = 0;  // "systemReserved"
  std::uint64_t allocatable = 0;      // "allocatable"
  std::uint64_t reserved = 0;         // "reserved": promised to containers
  std::uint64_t free = 0;             // "free"
  bool operator==(const MemoryTable&) const = default;
};

// One NUMA node of the memory manager's machine state (state.NUMANodeState).
struct NodeMemoryState {
  int id = 0;                       // OS id
  int number_of_assignments = 0;    // blocks whose mask includes this node
  NumaMask cells;                   // the node's group, as bit positions; {self} when unused
  std::vector<MemoryTable> tables;  // indexed like MemoryMachineState::resources()
  bool operator==(const NodeMemoryState&) const = default;
};

// (node OS id) -> (resource name) -> reserved bytes, from --reserved-memory.
using SystemReservedMemory = std::map<int, std::map<std::string, std::uint64_t>>;

// The memory manager's NUMANodeMap. Nodes are kept ascending by OS id; masks use the bit
// positions of the machine's NumaIdMap. Resource names are shared between copies.
class MemoryMachineState {
 public:
  MemoryMachineState() = default;
  // getDefaultMachineState: hugepage pools by size, then "memory" = node memory minus the
  // reservation minus this node's hugepage pools.
  static MemoryMachineState Default(const Machine& machine, const NumaIdMap& ids,
                                    const SystemReservedMemory& reserved);

  // Sorted resource names ("hugepages-1Gi", "hugepages-2Mi", "memory"), the checkpoint's order.
  const std::vector<std::string>& resources() const { return *resources_; }
  int ResourceIndex(const std::string& name) const;  // -1 when the machine has no such resource

  std::vector<NodeMemoryState>& nodes() { return nodes_; }
  const std::vector<NodeMemoryState>& nodes() const { return nodes_; }
  NodeMemoryState& AtPosition(int position) { return nodes_[index_of_position_[position]]; }
  const NodeMemoryState& AtPosition(int position) const {
    return nodes_[index_of_position_[position]];
  }
  bool HasPosition(int position) const {
    return position >= 0 && position < 64 && index_of_position_[position] >= 0;
  }
  const std::vector<int>& positions() const { return positions_; }
  const NumaIdMap& ids() const { return *ids_; }

  bool operator==(const MemoryMachineState& o) const { return nodes_ == o.nodes_; }

  // The kubelet's IterateBitMasks order over this machine's nodes, precomputed once per machine
  // (shared by copies) when there are at most kMaxOrderedNodes nodes: `dense` masks use bit i for
  // the i-th node (ascending id), `masks` are the same masks in bit positions.
  static constexpr int kMaxOrderedNodes = 18;
  struct MaskOrder {
    std::vector<std::uint32_t> dense;
    std::vector<NumaMask> masks;
    std::vector<std::uint8_t> counts;  // nodes per mask (no popcount instruction is assumed)
  };
  const MaskOrder* mask_order() const { return mask_order_.get(); }

 private:
  static std::shared_ptr<const MaskOrder> SharedMaskOrder(const std::vector<int>& positions);

  std::shared_ptr<const std::vector<std::string>> resources_ =
      std::make_shared<const std::vector<std::string>>();
  std::shared_ptr<const NumaIdMap> ids_;
  std::vector<NodeMemoryState> nodes_;
  std::shared_ptr<const MaskOrder> mask_order_;
  std::vector<int> positions_;  // ascending, one per node
  std::array<int, 64> index_of_position_{};
};

}  // namespace numalign::numa
