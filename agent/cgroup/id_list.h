#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/cgroup/error.h"

namespace numalign::agent::cgroup {

// A set of CPU or NUMA node ids in the kernel's list format ("0-3,8,10-11"), the format of
// cpuset.cpus / cpuset.mems and their .effective files. Kept sorted and unique, so two lists
// compare equal exactly when the kernel would consider them the same set ("0,1,2" == "0-2").
class IdList {
 public:
  IdList() = default;
  static IdList Of(std::vector<int> ids);

  // Parses what the kernel prints: comma-separated N or N-M items, surrounding whitespace and a
  // lone "\n" (the empty set) tolerated. The write-only stride syntax (N-M:G/S) is refused, and
  // so are ids above kMaxId, so a hostile file cannot make us allocate a huge range.
  static Result<IdList> Parse(std::string_view text);

  // Canonical list format without newline ("" for the empty set).
  std::string Format() const;

  const std::vector<int>& Ids() const { return ids_; }
  bool Empty() const { return ids_.empty(); }
  bool IsSubsetOf(const IdList& other) const;
  IdList Union(const IdList& other) const;
  IdList Intersection(const IdList& other) const;

  bool operator==(const IdList&) const = default;

  // Far above CONFIG_NR_CPUS (8192) and MAX_NUMNODES (1024) on any kernel.
  static constexpr int kMaxId = 65535;

 private:
  std::vector<int> ids_;
};

}  // namespace numalign::agent::cgroup
