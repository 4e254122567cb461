#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/allocation/pod_observation.h"
#include "agent/cgroup/cgroup_driver.h"
#include "agent/cgroup/cpuset_writer.h"
#include "agent/cgroup/filesystem.h"
#include "agent/cgroup/pod_pinning.h"
#include "numa/allocation/pinned_annotation.h"

namespace numalign::agent {

// What one pin or reconcile attempt did.
struct PinAttempt {
  bool ok = false;
  bool pod_cgroup_missing = false;   // the kubelet has not created it yet: retry later
  std::vector<std::string> pending;  // container ids whose cgroup does not exist yet
  int repaired = 0;                  // reconcile: cgroups whose drift was undone
  std::string error;                 // when !ok and not merely missing
};

// The cgroup side of pinning, behind an interface so the controller is tested with a recording
// double (order of checkpoint vs cgroup writes, re-pinning of the shared pool).
class CgroupPinner {
 public:
  virtual ~CgroupPinner() = default;
  virtual PinAttempt Pin(const cgroup::PodPinning& pinning) = 0;
  virtual PinAttempt Reconcile(const cgroup::PodPinning& pinning) = 0;
  // What the pod's cgroups hold now, as a pinned record (for rebuilding a lost checkpoint).
  virtual std::optional<numa::PinnedRecord> ReadPinned(const PodObservation& pod,
                                                       const std::string& node_name) = 0;
};

// The real one: agent/cgroup's PinPod / ReconcilePod over a RootedFilesystem.
class FsCgroupPinner final : public CgroupPinner {
 public:
  FsCgroupPinner(cgroup::Filesystem& fs, cgroup::CpusetWriter& writer,
                 cgroup::CgroupVersion version)
      : fs_(fs), writer_(writer), version_(version) {}
  PinAttempt Pin(const cgroup::PodPinning& pinning) override;
  PinAttempt Reconcile(const cgroup::PodPinning& pinning) override;
  std::optional<numa::PinnedRecord> ReadPinned(const PodObservation& pod,
                                               const std::string& node_name) override;

 private:
  cgroup::Filesystem& fs_;
  cgroup::CpusetWriter& writer_;
  cgroup::CgroupVersion version_;
};

}  // namespace numalign::agent
