#pragma once

#include <memory>
#include <vector>

namespace numalign::numa {

// The kubelet enumerates k-subsets with a recursive helper that grows its prefix with Go's
// append(). Go's append writes in place while the slice has spare capacity, so sibling subsets of
// size 4 and more share one backing array, and a subset the kubelet keeps ("best so far") is later
// overwritten by the subsets visited after it. takeByTopologyNUMADistributed keeps such subsets,
// so to pick the same NUMA nodes as the kubelet we reproduce that aliasing: a GoIntSlice is a
// view (backing array, length, capacity) with Go's append semantics.
class GoIntSlice {
 public:
  GoIntSlice() = default;
  int size() const { return len_; }
  bool is_nil() const { return backing_ == nullptr; }
  int operator[](int i) const { return (*backing_)[i]; }
  // What the slice holds now (which may differ from what it held when it was saved).
  std::vector<int> Values() const;
  // Go's append: in place when capacity allows, else a new backing array of doubled capacity
  // (exact for the small lengths here, whose sizes are Go allocator size classes).
  GoIntSlice Append(int value) const;

 private:
  std::shared_ptr<std::vector<int>> backing_;
  int len_ = 0;
  int cap_ = 0;
};

// The kubelet's iterateCombinations: every k-subset of `items` in lexicographic index order, the
// prefix grown with Go's append. `visit(GoIntSlice)` returns false to stop (Go's Break).
template <typename Visit>
bool IterateGoCombinations(const std::vector<int>& items, int k, int start,
                           const GoIntSlice& prefix, Visit& visit) {
  if (k == 0) return visit(prefix);
  for (int i = start; i <= static_cast<int>(items.size()) - k; ++i) {
    if (!IterateGoCombinations(items, k - 1, i + 1, prefix.Append(items[i]), visit)) return false;
  }
  return true;
}

template <typename Visit>
void IterateGoCombinations(const std::vector<int>& items, int k, Visit&& visit) {
  if (k < 1) return;
  // The kubelet starts from []int{}: empty, capacity 0, so the first append allocates.
  IterateGoCombinations(items, k, 0, GoIntSlice(), visit);
}

}  // namespace numalign::numa
