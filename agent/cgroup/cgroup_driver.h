#pragma once

#include <string>
#include <string_view>

#include "agent/cgroup/error.h"
#include "agent/cgroup/filesystem.h"
#include "agent/cgroup/pod_identity.h"

namespace numalign::agent::cgroup {

enum class CgroupVersion { kV1, kV2 };
enum class CgroupDriver { kSystemd, kCgroupfs };

std::string_view ToString(CgroupVersion version);
std::string_view ToString(CgroupDriver driver);

// v2 when the root holds cgroup.controllers (the unified hierarchy is mounted there); v1 when it
// holds a cpuset/ controller directory instead. systemd's hybrid mode (v1 controllers plus an
// empty v2 tree at unified/) has no cgroup.controllers at the root and is v1 for cpusets.
Result<CgroupVersion> DetectCgroupVersion(const Filesystem& fs);

// The names of the cpuset files, which differ between versions for the effective sets.
struct CpusetFileNames {
  std::string_view cpus;
  std::string_view mems;
  std::string_view effective_cpus;
  std::string_view effective_mems;
};
CpusetFileNames CpusetFilesFor(CgroupVersion version);

// Where the kubelet and the CRI runtimes put a pod's cgroups, relative to the cgroup root, for
// one version and driver (sysfs-numa.md section 5.4). Assumes the kubelet's own --cgroup-root is
// "/" (the default), so "kubepods" sits right below the hierarchy root.
//
//   systemd   Guaranteed  kubepods.slice/kubepods-pod<UID_>.slice/<scope>
//             Burstable
//             kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<UID_>.slice/<scope>
//             BestEffort
//             kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<UID_>.slice/<scope>
//             <UID_> has '-' replaced by '_'; <scope> is cri-containerd-<id>.scope,
//             crio-<id>.scope or docker-<id>.scope.
//   cgroupfs  Guaranteed  kubepods/pod<UID>/<leaf>
//             Burstable   kubepods/burstable/pod<UID>/<leaf>
//             BestEffort  kubepods/besteffort/pod<UID>/<leaf>
//             <leaf> is <id> (containerd, Docker) or crio-<id> (CRI-O).
//   v1 repeats the same relative paths below the cpuset controller, prefixed "cpuset/".
class CgroupLayout {
 public:
  constexpr CgroupLayout(CgroupVersion version, CgroupDriver driver)
      : version_(version), driver_(driver) {}

  CgroupVersion version() const { return version_; }
  CgroupDriver driver() const { return driver_; }

  // "" on v2, "cpuset" on v1: the directory whose tree holds the cpuset files.
  std::string HierarchyRoot() const;
  std::string KubepodsPath() const;
  // The QoS-level cgroup; for Guaranteed that is kubepods itself.
  std::string QosPath(QosClass qos) const;
  std::string PodPath(QosClass qos, const PodUid& uid) const;
  std::string ContainerPath(QosClass qos, const PodUid& uid, const ContainerRef& container) const;
  // The container's directory name inside its pod cgroup.
  std::string ContainerLeaf(const ContainerRef& container) const;

  bool operator==(const CgroupLayout&) const = default;

 private:
  CgroupVersion version_;
  CgroupDriver driver_;
};

}  // namespace numalign::agent::cgroup
