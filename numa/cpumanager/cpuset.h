#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numalign::numa {

// A set of logical CPU ids as the kubelet's cpuset package keeps it, stored as a bitset over a
// growable word vector so copies stay cheap (a node's state is cloned per scheduling decision).
// The word vector never ends in a zero word, so equal sets compare equal.
class CpuSet {
 public:
  CpuSet() = default;
  static CpuSet Of(std::initializer_list<int> cpus);
  static CpuSet Of(const std::vector<int>& cpus);
  // [first, last], both included; empty when last < first.
  static CpuSet Range(int first, int last);

  // The kubelet's cpuset syntax: "" (empty), "3", "0-3,8,10-11". Fails on anything else, on
  // negative ids, on reversed ranges and on ids at or above kMaxCpuId.
  static std::optional<CpuSet> Parse(std::string_view text, std::string* error);
  static constexpr int kMaxCpuId = 1 << 20;

  // "0-3,8": ascending, consecutive ids folded into ranges, exactly as the kubelet prints.
  std::string ToString() const;
  std::vector<int> ToVector() const;  // ascending
  std::size_t size() const;
  bool empty() const { return words_.empty(); }
  int Min() const;  // -1 when empty

  bool Contains(int cpu) const;
  bool IsSubsetOf(const CpuSet& other) const;
  bool Intersects(const CpuSet& other) const;
  std::size_t IntersectionSize(const CpuSet& other) const;

  void Add(int cpu);  // negative ids are ignored
  void Remove(int cpu);
  CpuSet Union(const CpuSet& other) const;
  CpuSet Intersection(const CpuSet& other) const;
  CpuSet Difference(const CpuSet& other) const;

  // Calls visit(cpu) for every member in ascending order.
  template <typename Visit>
  void ForEach(Visit&& visit) const {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      std::uint64_t bits = words_[w];
      while (bits != 0) {
        const int bit = std::countr_zero(bits);
        visit(static_cast<int>(w * 64 + bit));
        bits &= bits - 1;
      }
    }
  }

  bool operator==(const CpuSet&) const = default;

 private:
  void Trim();
  std::vector<std::uint64_t> words_;
};

}  // namespace numalign::numa
