#pragma once

#include <string_view>

#include "numa/pod/pod_spec.h"

namespace numalign::numa {

enum class QosClass { kBestEffort, kBurstable, kGuaranteed };

// Kubernetes' GetPodQOS (v1.32, without pod-level resources): only cpu and memory count; zero
// quantities are ignored; Guaranteed needs every container (init ones included) to set non-zero
// cpu and memory limits and the summed requests to equal the summed limits.
QosClass ComputeQosClass(const PodSpec& pod);

std::string_view QosClassName(QosClass qos);

}  // namespace numalign::numa
