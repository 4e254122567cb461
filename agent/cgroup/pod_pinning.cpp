#include "agent/cgroup/pod_pinning.h"

#include <fmt/format.h>

namespace numalign::agent::cgroup {

Result<PodTargets> ResolvePodTargets(const Filesystem& fs, CgroupVersion version,
                                     const PodPinning& pinning) {
  for (const PodPinning::Container& container : pinning.containers) {
    if (!container.cpuset.cpus.IsSubsetOf(pinning.pod.cpus) ||
        !container.cpuset.mems.IsSubsetOf(pinning.pod.mems)) {
      return Error{ErrorCode::kInvalidArgument, "",
                   fmt::format("container {} of pod {}: cpus {} / mems {} are not within the "
                               "pod's cpus {} / mems {}",
                               container.id, pinning.uid.str(), container.cpuset.cpus.Format(),
                               container.cpuset.mems.Format(), pinning.pod.cpus.Format(),
                               pinning.pod.mems.Format())};
    }
  }
  auto pod = DiscoverPodCgroup(fs, version, pinning.uid, pinning.qos);
  if (!pod) return pod.error();
  PodTargets resolved{*pod, {{pod->path, pinning.pod}}, {}};
  for (const PodPinning::Container& container : pinning.containers) {
    auto found = DiscoverContainerCgroup(fs, *pod, container.id);
    if (found) {
      resolved.targets.push_back({found->path, container.cpuset});
    } else if (found.error().code == ErrorCode::kNotFound) {
      resolved.pending.push_back(container.id);
    } else {
      return found.error();
    }
  }
  return resolved;
}

Result<PodTargets> PinPod(const Filesystem& fs, CpusetWriter& writer, CgroupVersion version,
                          const PodPinning& pinning) {
  auto resolved = ResolvePodTargets(fs, version, pinning);
  if (!resolved) return resolved;
  if (auto applied = writer.Apply(resolved->targets); !applied) return applied.error();
  return resolved;
}

Result<std::vector<CpusetDrift>> ReconcilePod(const Filesystem& fs, CpusetWriter& writer,
                                              CgroupVersion version, const PodPinning& pinning) {
  auto resolved = ResolvePodTargets(fs, version, pinning);
  if (!resolved) return resolved.error();
  return Reconcile(writer, resolved->targets);
}

}  // namespace numalign::agent::cgroup
