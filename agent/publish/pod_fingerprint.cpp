#include "agent/publish/pod_fingerprint.h"

namespace numalign::agent::publish {

bool HasExclusiveResources(const AdmittedPodState& pod) {
  for (const auto& [container, cpus] : pod.exclusive_cpus) {
    if (!cpus.empty()) return true;
  }
  for (const auto& [container, by_resource] : pod.memory_numa) {
    for (const auto& [resource, numa_ids] : by_resource) {
      if (!numa_ids.empty()) return true;
    }
  }
  return false;
}

std::string FingerprintPods(const std::vector<AdmittedPodState>& pods,
                            kube::FingerprintMethod method) {
  kube::PodFingerprint fingerprint;
  for (const auto& pod : pods) {
    if (method == kube::FingerprintMethod::kWithExclusiveResources && !HasExclusiveResources(pod)) {
      continue;
    }
    fingerprint.Add(pod.namespace_name, pod.name);
  }
  return fingerprint.Sign();
}

}  // namespace numalign::agent::publish
