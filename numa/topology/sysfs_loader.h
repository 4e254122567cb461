#pragma once

#include <optional>
#include <string>

#include "numa/topology/machine.h"

namespace numalign::numa {

struct SysfsOptions {
  std::string root = "/";  // fake root containing sys/ and proc/ (tests, host mounts)
};

// Discovery from sysfs/procfs alone, as cAdvisor and the kubelet see the machine:
// - nodes: sys/devices/system/node/online (first line; stray trailing lines are ignored), or the
//   nodeN directories on old kernels without it; no node directory at all (CONFIG_NUMA=n) means
//   one node 0 with every online CPU and /proc/meminfo's memory;
// - a node's cpus: nodeN/cpulist (or the hex nodeN/cpumap on old kernels) intersected with the
//   online CPUs (cpu/online, or cpuN/online per CPU), since node lists include offline CPUs;
// - core/socket: cpu/cpuK/topology/core_id (repeats across sockets, as cAdvisor reports it) and
//   physical_package_id;
// - memory: nodeN/meminfo MemTotal (hugepage pools included);
// - hugepages: every size in kernel/mm/hugepages or nodeN/hugepages (both only list hugetlb
//   sizes, never the base page), pool = nodeN/.../nr_hugepages x size; none on kernels without
//   nodeN/hugepages (< 2.6.32), whose per-node split is unknown, unless there is only one node;
// - distances: nodeN/distance, whose columns follow the online node list, not node ids.
// The result is the hardware, not the caller's cgroup cpuset. Missing or malformed files give
// nullopt and an error naming the file.
std::optional<Machine> LoadMachineFromSysfs(const SysfsOptions& options, std::string* error);

}  // namespace numalign::numa
