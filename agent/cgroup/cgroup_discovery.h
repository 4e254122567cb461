#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/cgroup/cgroup_driver.h"
#include "agent/cgroup/filesystem.h"
#include "agent/cgroup/pod_identity.h"

namespace numalign::agent::cgroup {

// A pod cgroup found on disk, with the layout that produced its path.
struct PodCgroup {
  CgroupLayout layout;
  QosClass qos;
  std::string path;
};

// A container cgroup found inside a pod cgroup. The runtime is known when the directory name
// says it (cri-containerd-, crio-, docker- scopes; crio- leaves); a bare <id> leaf under the
// cgroupfs driver is either containerd's or Docker's, and the path is the same for both.
struct ContainerCgroup {
  std::string id;
  std::optional<ContainerRuntime> runtime;
  std::string path;
};

// Finds the pod's cgroup without being told the driver: probes systemd then cgroupfs paths, for
// `qos` or, when not given, for every QoS class. Exactly one candidate must exist:
// kNotFound when none does (the kubelet may not have created it yet, so callers retry), and
// kAmbiguous when several do (a leftover from a driver change; refusing beats guessing).
Result<PodCgroup> DiscoverPodCgroup(const Filesystem& fs, CgroupVersion version, const PodUid& uid,
                                    std::optional<QosClass> qos = std::nullopt);

// Finds a container's cgroup in `pod` from the id in either form the API shows: the bare 64-hex
// id or the status form "containerd://<id>". Probes the runtimes' names for the pod's driver,
// then falls back to any entry named after the id (sysfs-numa.md section 5.4, way 3), never
// taking CRI-O's monitor scope crio-conmon-<id>.scope. kNotFound when the runtime has not
// created it yet.
Result<ContainerCgroup> DiscoverContainerCgroup(const Filesystem& fs, const PodCgroup& pod,
                                                std::string_view container_id);

}  // namespace numalign::agent::cgroup
