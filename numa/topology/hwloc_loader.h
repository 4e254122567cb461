#pragma once

#include <optional>
#include <string>

#include "numa/topology/machine.h"

namespace numalign::numa {

// Discovery through libhwloc (2.x). All loaders return the machine as sysfs and the kubelet see
// it, not hwloc's tree:
// - NUMA nodes are keyed by OS index, CPUs by PU OS index.
// - A node's cpus are the PUs it owns. A PU covered by several nodes (KNL MCDRAM, GPU memory
//   and other memory-only nodes that hwloc attaches beside a CPU node, with its cpuset) belongs
//   to the most local one, preferring nodes without a subtype, then the lowest id. So memory-only
//   nodes come out with no cpus, as their sysfs cpulist is empty. Limitation: hwloc 2.9 records
//   nothing that tells a subtype-less CPU-less node from the CPU node it is attached beside, so
//   the lower id wins; CPU-less nodes (PMem, CXL, GPU, HBM) take ids after the CPU nodes in
//   practice. The sysfs loader has no such ambiguity; CompareMachines shows any mismatch.
// - core is the Core's OS index, i.e. sysfs topology/core_id, which repeats across sockets; this
//   is what cAdvisor reports. (The kubelet later makes core ids unique itself, as the lowest CPU
//   id among the core's threads; consumers that need uniqueness pair core with socket.)
// - socket is the Package's OS index (sysfs physical_package_id).
// - memory is local_memory (MemTotal of the node, hugepage pools included).
// - hugepages: every page type but the smallest, which is the base page (4K on x86, 64K on many
//   arm64/ppc64 kernels; hwloc always records it), so "bigger than 4K" is never used.
// - distances come from the NUMANode latency matrix only (other matrices, e.g. GPU bandwidth or
//   Package/PU test matrices, are ignored); empty when there is none.
// Disallowed resources (outside the caller's cgroup cpuset) are kept: the machine is the node's
// hardware, not the agent's container.

// An hwloc XML export, 1.x or 2.x format (hwloc 3.x's version="3.0" files are refused with a
// message saying so). Fails with an error naming the file. The result only describes the
// recorded machine: nothing here binds, so hwloc's "not this system" XML topologies are fine.
std::optional<Machine> LoadMachineFromHwlocXml(const std::string& path, std::string* error);

// This machine. NVIDIA GPU memory NUMA nodes are kept (HWLOC_KEEP_NVIDIA_GPU_NUMA_NODES=1 unless
// the environment already sets it), because the kernel and the kubelet see them.
std::optional<Machine> LoadMachineFromLiveHwloc(std::string* error);

// hwloc's Linux backend reading a recorded or fake tree (`root` holds sys/ and proc/), as
// `HWLOC_FSROOT=root HWLOC_COMPONENTS=linux,stop` does. hwloc only takes the root from the
// environment, so this sets those variables for the duration of the call: it is not safe to
// call concurrently with anything else that reads or writes the environment.
std::optional<Machine> LoadMachineFromHwlocFsRoot(const std::string& root, std::string* error);

}  // namespace numalign::numa
