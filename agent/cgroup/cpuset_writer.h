#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/cgroup/error.h"
#include "agent/cgroup/id_list.h"

namespace numalign::agent::cgroup {

// The pinning a cgroup should have.
struct Cpuset {
  IdList cpus;
  IdList mems;
  bool operator==(const Cpuset&) const = default;
};

// What a cgroup has: the configured sets (cpuset.cpus / cpuset.mems) and, when the files exist
// (always on a real kernel, not always in a test tree), the effective ones the kernel derived
// from them and the ancestors (v2 cpuset.*.effective, v1 cpuset.effective_*).
struct CpusetReading {
  IdList cpus;
  IdList mems;
  std::optional<IdList> effective_cpus;
  std::optional<IdList> effective_mems;
  bool operator==(const CpusetReading&) const = default;
};

// One cgroup (a path relative to the cgroup root, e.g. a CgroupLayout::PodPath) and its pinning.
struct CpusetTarget {
  std::string cgroup;
  Cpuset desired;
};

// Writes and reads cpusets. The agent's pinning logic talks only to this, so it can be tested
// with a recording double; FsCpusetWriter is the real one.
class CpusetWriter {
 public:
  virtual ~CpusetWriter() = default;

  // Gives every target its desired cpuset, in an order the kernel accepts whatever the current
  // values: targets may come in any order and typically are a pod cgroup plus its containers.
  // Files that already hold the desired value are not written. Empty sets are refused (on v2
  // empty means "inherit everything", on v1 it is invalid with tasks).
  virtual Status Apply(const std::vector<CpusetTarget>& targets) = 0;

  virtual Result<CpusetReading> Read(std::string_view cgroup) const = 0;

  // One cgroup: Apply({{cgroup, {cpus, mems}}}).
  Status Pin(std::string cgroup, IdList cpus, IdList mems) {
    return Apply({CpusetTarget{std::move(cgroup), Cpuset{std::move(cpus), std::move(mems)}}});
  }
};

}  // namespace numalign::agent::cgroup
