#pragma once

#include <string>
#include <vector>

#include "agent/allocation/node_state.h"
#include "kube/objects/pod_fingerprint.h"

namespace numalign::agent::publish {

// The agent's side of the pod-set fingerprint (kube/objects/pod_fingerprint.h): which of the
// pods the node accounts go into it, judged from what the agent actually allocated.

// True when the pod holds anything exclusively (CPUs or NUMA-pinned memory / hugepages).
bool HasExclusiveResources(const AdmittedPodState& pod);

// The fingerprint of the snapshot's pods under `method`.
std::string FingerprintPods(const std::vector<AdmittedPodState>& pods,
                            kube::FingerprintMethod method);

}  // namespace numalign::agent::publish
