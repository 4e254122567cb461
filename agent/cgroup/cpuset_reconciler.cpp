#include "agent/cgroup/cpuset_reconciler.h"

namespace numalign::agent::cgroup {

Result<std::vector<CpusetDrift>> DetectDrift(const CpusetWriter& writer,
                                             const std::vector<CpusetTarget>& targets) {
  std::vector<CpusetDrift> drifts;
  for (const CpusetTarget& target : targets) {
    auto actual = writer.Read(target.cgroup);
    if (!actual) return actual.error();
    CpusetDrift drift{target.cgroup, target.desired, std::move(*actual)};
    drift.cpus_drifted = drift.actual.cpus != target.desired.cpus;
    drift.mems_drifted = drift.actual.mems != target.desired.mems;
    drift.effective_differs =
        (drift.actual.effective_cpus && *drift.actual.effective_cpus != target.desired.cpus) ||
        (drift.actual.effective_mems && *drift.actual.effective_mems != target.desired.mems);
    if (drift.NeedsRewrite() || drift.effective_differs) drifts.push_back(std::move(drift));
  }
  return drifts;
}

Result<std::vector<CpusetDrift>> Reconcile(CpusetWriter& writer,
                                           const std::vector<CpusetTarget>& targets) {
  auto drifts = DetectDrift(writer, targets);
  if (!drifts) return drifts;
  std::vector<CpusetTarget> to_rewrite;
  for (const CpusetDrift& drift : *drifts) {
    if (drift.NeedsRewrite()) to_rewrite.push_back({drift.cgroup, drift.desired});
  }
  if (!to_rewrite.empty()) {
    if (auto applied = writer.Apply(to_rewrite); !applied) return applied.error();
  }
  return drifts;
}

}  // namespace numalign::agent::cgroup
