#pragma once

#include <string>
#include <vector>

#include "agent/cgroup/cpuset_writer.h"

namespace numalign::agent::cgroup {

// How one cgroup differs from the pinning it should have.
struct CpusetDrift {
  std::string cgroup;
  Cpuset desired;
  CpusetReading actual;
  bool cpus_drifted = false;  // cpuset.cpus != desired: someone rewrote it
  bool mems_drifted = false;  // cpuset.mems != desired
  // The configured sets may be right while the effective ones are not, because an ancestor is
  // narrower (or, on v2, a partition took CPUs). Rewriting this cgroup cannot fix that, so it is
  // reported, not rewritten.
  bool effective_differs = false;

  bool NeedsRewrite() const { return cpus_drifted || mems_drifted; }
};

// Reads every target and returns those that differ (configured or effective), in target order.
Result<std::vector<CpusetDrift>> DetectDrift(const CpusetWriter& writer,
                                             const std::vector<CpusetTarget>& targets);

// Restores the desired pinning where something overwrote it: detects drift, then applies only
// the drifted targets (and within them the writer skips files that still hold the right value).
// Returns every drift found; those with NeedsRewrite() were rewritten when the result is ok.
Result<std::vector<CpusetDrift>> Reconcile(CpusetWriter& writer,
                                           const std::vector<CpusetTarget>& targets);

}  // namespace numalign::agent::cgroup
