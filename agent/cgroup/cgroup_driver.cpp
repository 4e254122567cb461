#include "agent/cgroup/cgroup_driver.h"

#include <fmt/format.h>

namespace numalign::agent::cgroup {
namespace {

// The kubelet's QoS cgroup name element: none for Guaranteed.
std::string_view QosElement(QosClass qos) {
  switch (qos) {
    case QosClass::kGuaranteed:
      return "";
    case QosClass::kBurstable:
      return "burstable";
    case QosClass::kBestEffort:
      return "besteffort";
  }
  return "";
}

std::string_view SystemdScopePrefix(ContainerRuntime runtime) {
  switch (runtime) {
    case ContainerRuntime::kContainerd:
      return "cri-containerd";
    case ContainerRuntime::kCrio:
      return "crio";
    case ContainerRuntime::kDocker:
      return "docker";
  }
  return "";
}

}  // namespace

std::string_view ToString(CgroupVersion version) {
  return version == CgroupVersion::kV2 ? "v2" : "v1";
}

std::string_view ToString(CgroupDriver driver) {
  return driver == CgroupDriver::kSystemd ? "systemd" : "cgroupfs";
}

Result<CgroupVersion> DetectCgroupVersion(const Filesystem& fs) {
  if (fs.Exists("cgroup.controllers")) return CgroupVersion::kV2;
  if (fs.IsDirectory("cpuset")) return CgroupVersion::kV1;
  return Error{ErrorCode::kNotFound, "",
               "cannot tell the cgroup version: the cgroup root has neither cgroup.controllers "
               "(v2) nor a cpuset/ controller directory (v1); is --cgroup-root the mount point "
               "(usually /sys/fs/cgroup)?"};
}

CpusetFileNames CpusetFilesFor(CgroupVersion version) {
  if (version == CgroupVersion::kV2) {
    return {"cpuset.cpus", "cpuset.mems", "cpuset.cpus.effective", "cpuset.mems.effective"};
  }
  return {"cpuset.cpus", "cpuset.mems", "cpuset.effective_cpus", "cpuset.effective_mems"};
}

std::string CgroupLayout::HierarchyRoot() const {
  return version_ == CgroupVersion::kV2 ? "" : "cpuset";
}

std::string CgroupLayout::KubepodsPath() const {
  return JoinPath(HierarchyRoot(),
                  driver_ == CgroupDriver::kSystemd ? "kubepods.slice" : "kubepods");
}

std::string CgroupLayout::QosPath(QosClass qos) const {
  const std::string_view element = QosElement(qos);
  if (element.empty()) return KubepodsPath();
  if (driver_ == CgroupDriver::kSystemd) {
    return JoinPath(KubepodsPath(), fmt::format("kubepods-{}.slice", element));
  }
  return JoinPath(KubepodsPath(), element);
}

std::string CgroupLayout::PodPath(QosClass qos, const PodUid& uid) const {
  if (driver_ == CgroupDriver::kCgroupfs) {
    return JoinPath(QosPath(qos), fmt::format("pod{}", uid.str()));
  }
  // systemd repeats every ancestor in a slice's name: kubepods-burstable-pod<UID_>.slice.
  const std::string_view element = QosElement(qos);
  const std::string slice =
      element.empty() ? fmt::format("kubepods-pod{}.slice", uid.SystemdEscaped())
                      : fmt::format("kubepods-{}-pod{}.slice", element, uid.SystemdEscaped());
  return JoinPath(QosPath(qos), slice);
}

std::string CgroupLayout::ContainerLeaf(const ContainerRef& container) const {
  if (driver_ == CgroupDriver::kSystemd) {
    return fmt::format("{}-{}.scope", SystemdScopePrefix(container.runtime()), container.id());
  }
  if (container.runtime() == ContainerRuntime::kCrio) return fmt::format("crio-{}", container.id());
  return container.id();
}

std::string CgroupLayout::ContainerPath(QosClass qos, const PodUid& uid,
                                        const ContainerRef& container) const {
  return JoinPath(PodPath(qos, uid), ContainerLeaf(container));
}

}  // namespace numalign::agent::cgroup
