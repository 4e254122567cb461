#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/cgroup/cgroup_discovery.h"
#include "agent/cgroup/cpuset_reconciler.h"
#include "agent/cgroup/cpuset_writer.h"
#include "agent/cgroup/filesystem.h"

namespace numalign::agent::cgroup {

// What one pod should be pinned to: its pod-level cgroup and each container, by the id the pod
// status shows ("containerd://<id>") or the bare id.
struct PodPinning {
  PodUid uid;
  std::optional<QosClass> qos;  // speeds up discovery; probed when absent
  Cpuset pod;                   // must include every container's sets
  struct Container {
    std::string id;
    Cpuset cpuset;
  };
  std::vector<Container> containers;
};

// The cgroups of a PodPinning that exist now.
struct PodTargets {
  PodCgroup pod;
  std::vector<CpusetTarget> targets;  // the pod cgroup first, then the containers found
  std::vector<std::string> pending;   // container ids whose cgroup the runtime has not made yet
};

// Finds the pod's and containers' cgroups. The pod cgroup missing is an error (kNotFound: the
// kubelet has not created it yet, retry); a container missing is not, it is listed in `pending`
// so the agent pins the pod cgroup as soon as it appears and each container once it exists.
// Refuses (kInvalidArgument) a container set outside the pod's: v2 would silently clip it, v1
// would refuse it half-way.
Result<PodTargets> ResolvePodTargets(const Filesystem& fs, CgroupVersion version,
                                     const PodPinning& pinning);

// ResolvePodTargets, then writes every existing cgroup (CpusetWriter::Apply).
Result<PodTargets> PinPod(const Filesystem& fs, CpusetWriter& writer, CgroupVersion version,
                          const PodPinning& pinning);

// ResolvePodTargets, then rewrites only what drifted (Reconcile). For the agent's repair loop.
Result<std::vector<CpusetDrift>> ReconcilePod(const Filesystem& fs, CpusetWriter& writer,
                                              CgroupVersion version, const PodPinning& pinning);

}  // namespace numalign::agent::cgroup
