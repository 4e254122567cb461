#include "numa/memorymanager/preferred_memory_masks.h"

namespace numalign::numa {

std::optional<PreferredMemoryMasks> PreferredMemoryMasks::Find(const MemoryMachineState& state,
                                                               const MemoryRequest& request) {
  if (request.empty() || request.size() > kMaxTypes) return std::nullopt;
  PreferredMemoryMasks out;
  out.state_ = &state;
  for (int position : state.positions()) {
    if (position < 0 || position >= 64) return std::nullopt;
    out.universe_ = out.universe_.Or(NumaMask(std::uint64_t{1} << position));
  }
  for (const auto& [name, bytes] : request) {
    out.wanted_[out.types_++] = Wanted{state.ResourceIndex(name), bytes};
  }
  // calculateHints lowers its minimal size on every mask whose allocatable memory fits, before
  // any other test; the walk by size meets the smallest first.
  const int nodes = out.universe_.Count();
  for (int size = 1; size <= nodes && out.size_ == 0; ++size) {
    ForEachMaskOfSize(out.universe_, size, [&](NumaMask mask) {
      if (!out.CoveredByAllocatable(mask)) return true;
      out.size_ = size;
      return false;
    });
  }
  if (out.size_ == 0) return std::nullopt;
  return out;
}

bool PreferredMemoryMasks::CoveredByAllocatable(NumaMask mask) const {
  for (std::size_t k = 0; k < types_; ++k) {
    std::uint64_t allocatable = 0;  // wraps exactly like the kubelet's uint64 sums
    if (wanted_[k].resource >= 0) {
      for (std::uint64_t b = mask.value(); b != 0; b &= b - 1) {
        allocatable +=
            state_->AtPosition(std::countr_zero(b)).tables[wanted_[k].resource].allocatable;
      }
    }
    if (allocatable < wanted_[k].bytes) return false;
  }
  return true;
}

bool PreferredMemoryMasks::Offers(NumaMask mask) const {
  if (!CoveredByAllocatable(mask)) return false;
  const std::uint64_t bits = mask.value();
  if (mask.Count() == 1) {
    // A node in a multi-node group cannot take single-node allocations.
    if (state_->AtPosition(std::countr_zero(bits)).cells.Count() > 1) return false;
  } else {
    // Multi-node masks only use nodes that are unused or in exactly this group.
    for (std::uint64_t b = bits; b != 0; b &= b - 1) {
      const NodeMemoryState& node = state_->AtPosition(std::countr_zero(b));
      if (node.number_of_assignments > 0 && (node.cells.Count() == 1 || node.cells != mask)) {
        return false;
      }
    }
  }
  for (std::size_t k = 0; k < types_; ++k) {
    std::uint64_t free = 0;
    if (wanted_[k].resource >= 0) {
      for (std::uint64_t b = bits; b != 0; b &= b - 1) {
        free += state_->AtPosition(std::countr_zero(b)).tables[wanted_[k].resource].free;
      }
    }
    if (free < wanted_[k].bytes) return false;
  }
  return true;
}

}  // namespace numalign::numa
