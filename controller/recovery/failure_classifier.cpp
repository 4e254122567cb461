#include "controller/recovery/failure_classifier.h"

#include <array>
#include <string_view>

#include "numa/allocation/pinned_annotation.h"

namespace numalign::controller {

namespace {

// Admission failures that stale NUMA data can cause: another node, or the same node later, may
// admit the pod. Other Failed reasons (OutOfcpu, Evicted, ...) are not ours to act on.
constexpr std::array<std::string_view, 3> kAdmissionReasons = {
    "TopologyAffinityError", "UnexpectedAdmissionError", "SMTAlignmentError"};

}  // namespace

std::optional<PodFailure> ClassifyPodFailure(const kube::PodView& pod) {
  if (pod.DeletionTimestamp()) return std::nullopt;
  if (pod.Phase() == "Failed") {
    const std::string reason = pod.Reason();
    for (auto known : kAdmissionReasons) {
      if (reason == known) return PodFailure{reason, pod.Message()};
    }
  }
  if (auto failed = pod.Annotation(std::string(numa::kPinningFailedAnnotation))) {
    if (pod.Phase() == "Succeeded") return std::nullopt;  // finished anyway: nothing to recover
    return PodFailure{"PinningFailed", failed->substr(0, 1024)};
  }
  return std::nullopt;
}

}  // namespace numalign::controller
