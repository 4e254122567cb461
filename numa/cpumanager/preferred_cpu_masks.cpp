#include "numa/cpumanager/preferred_cpu_masks.h"

namespace numalign::numa {

std::optional<PreferredCpuMasks> PreferredCpuMasks::Find(const CpuTopology& topo,
                                                         const NumaIdMap& ids,
                                                         const CpuSet& available, int request) {
  if (request <= 0) return std::nullopt;
  PreferredCpuMasks out;
  out.wanted_ = static_cast<std::size_t>(request);
  std::array<std::size_t, 64> capacity_by_position{};
  for (int numa : topo.NumaIds()) {
    const int position = ids.PositionOf(numa);
    if (position < 0) return std::nullopt;  // the full walk reports it its own way
    const CpuSet& cpus = topo.CpusInNuma(numa);
    out.universe_ = out.universe_.Or(NumaMask(std::uint64_t{1} << position));
    capacity_by_position[position] = cpus.size();
    out.free_by_position_[position] = available.IntersectionSize(cpus);
  }
  // The smallest size at which some mask's capacity covers the request, as the walk by size
  // finds it.
  const int nodes = out.universe_.Count();
  for (int size = 1; size <= nodes && out.size_ == 0; ++size) {
    ForEachMaskOfSize(out.universe_, size, [&](NumaMask mask) {
      std::size_t capacity = 0;
      for (std::uint64_t b = mask.value(); b != 0; b &= b - 1) {
        capacity += capacity_by_position[std::countr_zero(b)];
      }
      if (capacity < out.wanted_) return true;
      out.size_ = size;
      return false;
    });
  }
  if (out.size_ == 0) return std::nullopt;
  return out;
}

bool PreferredCpuMasks::Offers(NumaMask mask) const {
  std::size_t free = 0;
  for (std::uint64_t b = mask.value(); b != 0; b &= b - 1) {
    free += free_by_position_[std::countr_zero(b)];
  }
  return free >= wanted_;
}

}  // namespace numalign::numa
