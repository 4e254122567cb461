#pragma once

#include "numa/admission/node_admitter.h"
#include "numa/pod/pod_requests.h"

namespace numalign::extender {

// Charges, on the view's model of a node, the CPUs an admitted pod's app containers took over
// from its regular init containers, as if they had not been reused.
//
// Why: the kubelet's static policy lets an app container reuse the CPUs of the init containers
// before it, but which CPUs it takes - and so whether an init CPU is reused or stays held by the
// finished init container until the pod ends - depends on the node's SMT siblings. The NRT does
// not publish them; the view models one single-thread core per CPU and would reuse where the
// real node does not, believing a NUMA node has a CPU more than it has (the agent then refuses
// the extender's next decision there). Charging the reused CPUs counts at most what the node
// really holds for the pod on every NUMA node, never less, so the extender's decisions fit.
// Nothing changes for the pod being decided: within its own admission reuse is the kubelet's.
// The charge is kept under the pod's own uid so removing the pod (eviction) frees it.
void ChargeReusedInitCpus(numa::NodeAdmitter& admitter, const numa::PodRequests& pod);

// The container name the charge is recorded under, in the pod's CPU assignments.
inline constexpr const char* kReusedInitCpusContainer = "numalign.io/reused-init-cpus";

}  // namespace numalign::extender
