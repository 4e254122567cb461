#pragma once

#include <optional>
#include <string>

#include "kube/objects/pod.h"

namespace numalign::controller {

// Why a pod needs recovery: the kubelet refused it at admission (status.phase Failed with the
// reason of kubelet-algorithms.md 1.3), or the agent could not pin it (annotation
// numalign.io/pinning-failed, whose value starts with the reason).
struct PodFailure {
  std::string reason;   // TopologyAffinityError, UnexpectedAdmissionError, SMTAlignmentError,
                        // PinningFailed
  std::string message;  // status.message or the annotation's value
};

// nullopt for a healthy pod, and for a pod already being deleted (its recovery is under way).
std::optional<PodFailure> ClassifyPodFailure(const kube::PodView& pod);

}  // namespace numalign::controller
