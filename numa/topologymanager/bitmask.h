#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

namespace numalign::numa {

// A set of NUMA nodes as the kubelet's topologymanager/bitmask keeps it: a 64-bit integer whose
// bit i stands for NUMA bit position i (see NumaIdMap for how OS ids map to positions). Every
// ordering is integer ordering, never the lexicographic order of the id lists.
class NumaMask {
 public:
  constexpr NumaMask() = default;
  constexpr explicit NumaMask(std::uint64_t bits) : bits_(bits) {}
  static NumaMask Of(std::initializer_list<int> positions);
  static NumaMask Of(const std::vector<int>& positions);

  constexpr std::uint64_t value() const { return bits_; }
  constexpr int Count() const { return std::popcount(bits_); }
  constexpr bool Empty() const { return bits_ == 0; }
  constexpr bool Has(int position) const { return (bits_ >> position) & 1U; }
  constexpr bool IsSubsetOf(NumaMask other) const { return (bits_ & ~other.bits_) == 0; }
  // Ascending bit positions.
  std::vector<int> Bits() const;

  constexpr NumaMask And(NumaMask o) const { return NumaMask(bits_ & o.bits_); }
  constexpr NumaMask Or(NumaMask o) const { return NumaMask(bits_ | o.bits_); }

  // The kubelet's IsNarrowerThan: fewer nodes first, then the smaller integer.
  constexpr bool IsNarrowerThan(NumaMask o) const {
    return Count() == o.Count() ? bits_ < o.bits_ : Count() < o.Count();
  }
  constexpr bool operator==(const NumaMask&) const = default;

  // "{0,2}" for logs and explanations (positions, not OS ids).
  std::string ToString() const;

 private:
  std::uint64_t bits_ = 0;
};

// Visits every non-empty subset of `positions` (ascending) in the kubelet's IterateBitMasks
// order: by size 1..n, and within a size in lexicographic order of index combinations.
// `visit` returns false to stop early.
template <typename Visit>
void IterateMasks(const std::vector<int>& positions, Visit&& visit) {
  const int n = static_cast<int>(positions.size());
  std::vector<int> idx;
  for (int k = 1; k <= n; ++k) {
    idx.resize(k);
    for (int i = 0; i < k; ++i) idx[i] = i;
    while (true) {
      std::uint64_t bits = 0;
      for (int i : idx) bits |= std::uint64_t{1} << positions[i];
      if (!visit(NumaMask(bits))) return;
      int i = k - 1;
      while (i >= 0 && idx[i] == n - k + i) --i;
      if (i < 0) break;
      ++idx[i];
      for (int j = i + 1; j < k; ++j) idx[j] = idx[j - 1] + 1;
    }
  }
}

}  // namespace numalign::numa

namespace numalign::numa {

// Visits the subsets of `universe` that have exactly `size` members in ascending integer order
// (Gosper's next-combination on dense indices; spreading dense bits over the universe's
// positions keeps the order). `visit` returns false to stop early.
template <typename Visit>
void ForEachMaskOfSize(NumaMask universe, int size, Visit&& visit) {
  int positions[64];
  int n = 0;
  for (std::uint64_t b = universe.value(); b != 0; b &= b - 1) positions[n++] = std::countr_zero(b);
  if (size <= 0 || size > n) return;
  const std::uint64_t end = n == 64 ? 0 : std::uint64_t{1} << n;
  std::uint64_t dense = (size == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << size) - 1);
  while (true) {
    std::uint64_t bits = 0;
    for (std::uint64_t d = dense; d != 0; d &= d - 1) {
      bits |= std::uint64_t{1} << positions[std::countr_zero(d)];
    }
    if (!visit(NumaMask(bits))) return;
    // Next larger integer with the same number of set bits; stop once it needs a bit past n.
    const std::uint64_t low = dense & (~dense + 1);
    const std::uint64_t ripple = dense + low;
    if (ripple == 0) return;
    dense = ripple | (((dense ^ ripple) >> 2) / low);
    if (end != 0 && dense >= end) return;
  }
}

}  // namespace numalign::numa
