#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "agent/cgroup/cgroup_driver.h"
#include "agent/cgroup/cpuset_writer.h"
#include "agent/cgroup/filesystem.h"

namespace numalign::agent::cgroup {

// CpusetWriter over a Filesystem (hence never outside the cgroup root).
//
// Write order. cgroup v1 refuses a cpuset that is not within its parent's (EACCES) and a parent
// change that would leave a child outside (EBUSY); v2 accepts both but then computes effective
// sets from the intersection, so a transiently narrower parent would briefly starve the child.
// Apply therefore runs two passes:
//   1. widen, parents before children: each file gets (current ∪ desired), so every parent grows
//      before any child asks for more;
//   2. narrow, children before parents: each file gets desired, so every child shrinks before
//      its parent does.
// Each pass does cpuset.mems before cpuset.cpus: memory nodes are in place before tasks run on
// the new CPUs, so nothing they allocate meanwhile lands on the old nodes. Pure widening or pure
// narrowing costs one write per changed file; unchanged files are not written. Every write is
// read back, and a value the kernel silently altered is an error (kKernelRejected).
//
// Cgroups below a target that the caller did not list (typically the pod sandbox's container
// below a pod cgroup) are left alone on v2, where the kernel intersects their effective sets with
// the parent's. v1 would refuse to shrink the parent (EBUSY) while such a child holds more, so on
// v1 each untargeted descendant that would be left outside is first clamped to its current set ∩
// the parent's new one (or the parent's whole new set when that is empty): what v2 does itself.
//
// On v2 a cgroup without cpuset.cpus has no cpuset controller: Apply reports kControllerNotEnabled
// naming the parent's cgroup.subtree_control instead of failing on a missing file.
class FsCpusetWriter final : public CpusetWriter {
 public:
  FsCpusetWriter(Filesystem& fs, CgroupVersion version);

  Status Apply(const std::vector<CpusetTarget>& targets) override;
  Result<CpusetReading> Read(std::string_view cgroup) const override;

 private:
  // Checks that `cgroup` exists and carries the cpuset files.
  Status CheckCpusetFiles(const std::string& cgroup) const;
  Result<IdList> ReadList(const std::string& path) const;
  // Writes `value` to the file unless it already holds it; reads back to confirm.
  Status WriteIfDifferent(const std::string& path, const IdList& value);
  Status WriteList(const std::string& path, const IdList& current, const IdList& value);
  // v1: before `cgroup`'s `file` becomes `value`, shrinks every descendant not in `targets`
  // whose set is not within it, deepest first.
  Status ClampUntargetedChildren(const std::string& cgroup, std::string_view file,
                                 const IdList& value, const std::set<std::string>& targets);
  // Adds what the kernel's refusal usually means for cpusets to a write error.
  Error ExplainWriteError(Error error) const;

  Filesystem& fs_;
  CgroupVersion version_;
  CpusetFileNames files_;
};

}  // namespace numalign::agent::cgroup
