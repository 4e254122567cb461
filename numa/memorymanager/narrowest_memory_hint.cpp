#include "numa/memorymanager/narrowest_memory_hint.h"

#include <algorithm>
#include <array>
#include <bit>
#include <utility>

namespace numalign::numa {

std::uint64_t ReusableBytesOn(const std::vector<ReusableMemory>& reusable, NumaMask mask,
                              const std::string& type) {
  for (const auto& r : reusable) {
    if (r.mask == mask && r.type == type) return r.bytes;
  }
  return 0;
}

namespace {

// One requested type, with its per-node bytes indexed by bit position so that a mask's sum is a
// walk over its bits.
struct Wanted {
  std::uint64_t bytes = 0;
  std::array<std::uint64_t, 64> allocatable{};
  std::array<std::uint64_t, 64> free{};
  std::vector<std::pair<NumaMask, std::uint64_t>> reusable;  // this type's entries only
  std::uint64_t most_reusable = 0;
};

enum class Capacity { kAllocatable, kFree };

std::uint64_t SumOver(const std::array<std::uint64_t, 64>& values, std::uint64_t mask) {
  std::uint64_t sum = 0;  // wraps exactly like the kubelet's uint64 sums
  for (std::uint64_t b = mask; b != 0; b &= b - 1) sum += values[std::countr_zero(b)];
  return sum;
}

// The sum of the `count` largest values among the nodes of `mask` (count <= nodes in mask).
std::uint64_t LargestSum(const std::array<std::uint64_t, 64>& values, std::uint64_t mask,
                         int count) {
  std::array<std::uint64_t, 64> picked;
  int n = 0;
  for (std::uint64_t b = mask; b != 0; b &= b - 1) picked[n++] = values[std::countr_zero(b)];
  std::nth_element(picked.begin(), picked.begin() + count, picked.begin() + n,
                   std::greater<std::uint64_t>());
  std::uint64_t sum = 0;
  for (int i = 0; i < count; ++i) sum += picked[i];
  return sum;
}

// calculateHints' tests on one mask, plus bounds that rule out a whole size at once.
class ListedMaskSearch {
 public:
  ListedMaskSearch(const MemoryMachineState& state, const MemoryRequest& request,
                   const std::vector<ReusableMemory>& reusable) {
    for (int p : state.positions()) {
      universe_ |= std::uint64_t{1} << p;
      const NodeMemoryState& node = state.AtPosition(p);
      if (node.number_of_assignments > 0) used_ |= std::uint64_t{1} << p;
      cells_[p] = node.cells.value();
    }
    wanted_.reserve(request.size());
    sums_exact_ = true;
    for (const auto& [name, bytes] : request) {
      Wanted w;
      w.bytes = bytes;
      const int r = state.ResourceIndex(name);
      if (r >= 0) {  // an unknown type has no capacity anywhere: its arrays stay zero
        for (int p : state.positions()) {
          w.allocatable[p] = state.AtPosition(p).tables[r].allocatable;
          w.free[p] = state.AtPosition(p).tables[r].free;
        }
      }
      for (const auto& entry : reusable) {
        if (entry.type != name) continue;
        w.reusable.emplace_back(entry.mask, entry.bytes);
        w.most_reusable = std::max(w.most_reusable, entry.bytes);
      }
      // The bounds below compare true sums; they hold only when no mask's sum can wrap.
      std::uint64_t total_allocatable = 0;
      std::uint64_t total_free = w.most_reusable;
      for (int p : state.positions()) {
        if (__builtin_add_overflow(total_allocatable, w.allocatable[p], &total_allocatable) ||
            __builtin_add_overflow(total_free, w.free[p], &total_free)) {
          sums_exact_ = false;
        }
      }
      wanted_.push_back(std::move(w));
    }
  }

  std::optional<TopologyHint> Narrowest(NumaMask within) const {
    const std::uint64_t base = within.value();
    if ((base & ~universe_) != 0) return std::nullopt;  // no mask of this machine holds it
    const int min_size = MinimalSize();
    if (min_size == 0) return std::nullopt;  // nothing passes the Allocatable test
    // A listed mask holding a used node is exactly that node's group (rule 4), so the candidates
    // of two or more nodes are these groups and `base` plus nodes without assignments.
    std::vector<std::uint64_t> groups;
    for (std::uint64_t b = used_; b != 0; b &= b - 1) {
      const std::uint64_t g = cells_[std::countr_zero(b)];
      if (std::popcount(g) > 1 && (g & ~universe_) == 0 && (g & base) == base &&
          std::find(groups.begin(), groups.end(), g) == groups.end()) {
        groups.push_back(g);
      }
    }
    const std::uint64_t fresh = universe_ & ~used_ & ~base;
    const bool base_fresh = (base & used_) == 0;
    const int base_size = std::popcount(base);
    const int nodes = std::popcount(universe_);
    for (int size = std::max({min_size, base_size, 1}); size <= nodes; ++size) {
      std::optional<std::uint64_t> best;
      auto offer = [&](std::uint64_t mask) {
        if (!best || mask < *best) best = mask;
      };
      if (size == 1) {
        for (std::uint64_t b = universe_; b != 0 && !best; b &= b - 1) {
          const std::uint64_t mask = b & (~b + 1);
          if ((mask & base) == base && Listed(mask)) best = mask;
        }
      } else {
        for (std::uint64_t g : groups) {
          if (std::popcount(g) == size && Listed(g)) offer(g);
        }
        const int extra = size - base_size;
        if (base_fresh && extra == 0) {
          if (Listed(base)) offer(base);
        } else if (base_fresh && extra <= std::popcount(fresh) &&
                   MayCover(base, fresh, extra, Capacity::kAllocatable) &&
                   MayCover(base, fresh, extra, Capacity::kFree)) {
          // Ascending integer order (base is disjoint from fresh): the first listed mask is the
          // least of these.
          ForEachMaskOfSize(NumaMask(fresh), extra, [&](NumaMask added) {
            const std::uint64_t mask = base | added.value();
            if (best && mask >= *best) return false;
            if (!Listed(mask)) return true;
            offer(mask);
            return false;
          });
        }
      }
      if (best) return TopologyHint{NumaMask(*best), size == min_size};
    }
    return std::nullopt;
  }

 private:
  // calculateHints' minimal size: the fewest nodes of any mask whose Allocatable covers every
  // requested type; 0 when no mask does.
  int MinimalSize() const {
    const int nodes = std::popcount(universe_);
    for (int size = 1; size <= nodes; ++size) {
      if (!MayCover(0, universe_, size, Capacity::kAllocatable)) continue;
      bool found = false;
      ForEachMaskOfSize(NumaMask(universe_), size, [&](NumaMask mask) {
        found = CoveredByAllocatable(mask.value());
        return !found;
      });
      if (found) return size;
    }
    return 0;
  }

  // False only when no mask of `base` plus `count` nodes of `pool` can cover the request: its
  // best case, the largest nodes of the pool (plus the largest reusable entry), falls short.
  bool MayCover(std::uint64_t base, std::uint64_t pool, int count, Capacity capacity) const {
    if (!sums_exact_) return true;
    for (const Wanted& w : wanted_) {
      const auto& values = capacity == Capacity::kAllocatable ? w.allocatable : w.free;
      std::uint64_t most = SumOver(values, base) + LargestSum(values, pool, count);
      if (capacity == Capacity::kFree) most += w.most_reusable;
      if (most < w.bytes) return false;
    }
    return true;
  }

  // (1) the capacity test, by Allocatable.
  bool CoveredByAllocatable(std::uint64_t mask) const {
    for (const Wanted& w : wanted_) {
      if (SumOver(w.allocatable, mask) < w.bytes) return false;
    }
    return true;
  }

  // (3) a node in a multi-node group takes no single-node mask; (4) a multi-node mask only uses
  // nodes that are unused or in exactly this group.
  bool AllowedByGroups(std::uint64_t mask) const {
    if (std::popcount(mask) == 1) return std::popcount(cells_[std::countr_zero(mask)]) <= 1;
    for (std::uint64_t b = mask & used_; b != 0; b &= b - 1) {
      const std::uint64_t g = cells_[std::countr_zero(b)];
      if (std::popcount(g) == 1 || g != mask) return false;
    }
    return true;
  }

  // (5) free memory, counting the pod's reusable memory on exactly this mask.
  bool CoveredByFree(std::uint64_t mask) const {
    for (const Wanted& w : wanted_) {
      std::uint64_t free = SumOver(w.free, mask);
      for (const auto& [reusable_mask, bytes] : w.reusable) {
        if (reusable_mask.value() == mask) {
          free += bytes;
          break;
        }
      }
      if (free < w.bytes) return false;
    }
    return true;
  }

  bool Listed(std::uint64_t mask) const {
    return CoveredByAllocatable(mask) && AllowedByGroups(mask) && CoveredByFree(mask);
  }

  std::vector<Wanted> wanted_;
  std::uint64_t universe_ = 0;
  std::uint64_t used_ = 0;  // nodes with assignments
  std::array<std::uint64_t, 64> cells_{};
  bool sums_exact_ = false;
};

}  // namespace

std::optional<TopologyHint> FindNarrowestMemoryHint(const MemoryMachineState& state,
                                                    const MemoryRequest& request, NumaMask within,
                                                    const std::vector<ReusableMemory>& reusable) {
  return ListedMaskSearch(state, request, reusable).Narrowest(within);
}

}  // namespace numalign::numa
