#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "numa/admission/kubelet_config.h"
#include "numa/pod/pod_spec.h"
#include "numa/topology/machine.h"

namespace numalign::sim {

// Scheduler-side resource amounts: "cpu" in millicores, "memory" and "hugepages-<size>" in
// bytes, "pods" as a count. Absent = 0.
using ResourceList = std::map<std::string, std::int64_t>;

// The Node's status.allocatable as the kubelet reports it: capacity (CPUs, memory minus
// hugepage pools, hugepage pools, 110 pods) minus kube-reserved, system-reserved and the hard
// eviction threshold for memory.
ResourceList NodeAllocatable(const numa::Machine& machine, const numa::KubeletNumaConfig& config);

// What NodeResourcesFit counts for a pod (computePodResourceRequest, v1.32 without pod
// overhead): per resource the larger of (app containers + restartable init containers) and the
// largest init container plus the restartable init containers started before it; "pods" = 1.
// `non_zero`: what the scoring plugins count instead (schedutil's non-zero defaults: a
// container without a cpu or memory request counts 100m cpu / 200Mi memory).
ResourceList PodSchedulingRequests(const numa::PodSpec& pod, bool non_zero = false);

// One container's requests (zero amounts dropped), in the units above.
ResourceList ContainerSchedulingRequests(const numa::ContainerSpec& container);

}  // namespace numalign::sim
