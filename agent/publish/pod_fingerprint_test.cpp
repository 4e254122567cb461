#include "agent/publish/pod_fingerprint.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace numalign::agent::publish {
namespace {

AdmittedPodState Pod(std::string uid, std::string ns, std::string name) {
  AdmittedPodState pod;
  pod.uid = std::move(uid);
  pod.namespace_name = std::move(ns);
  pod.name = std::move(name);
  return pod;
}

// The fingerprint itself (upstream compat vectors) is tested in kube/objects; here: which of
// the agent's pods go into it.
TEST(PodFingerprintTest, MethodWithExclusiveResourcesSkipsSharedPoolPods) {
  AdmittedPodState pinned = Pod("1", "production", "jaeger-dpgjk");
  pinned.exclusive_cpus["c"] = {2, 3};
  AdmittedPodState memory_only = Pod("2", "production", "nginx-rt684");
  memory_only.memory_numa["c"]["memory"] = {0};
  AdmittedPodState shared = Pod("3", "production", "envoy-g9m22");
  shared.exclusive_cpus["c"] = {};
  const std::vector<AdmittedPodState> pods{pinned, memory_only, shared};

  // The upstream "tiny" compat vector: all three pods.
  EXPECT_EQ(FingerprintPods(pods, kube::FingerprintMethod::kAll), "pfp0v001607b76a0e9d3aeb4");
  kube::PodFingerprint exclusive;
  exclusive.Add("production", "jaeger-dpgjk");
  exclusive.Add("production", "nginx-rt684");
  EXPECT_EQ(FingerprintPods(pods, kube::FingerprintMethod::kWithExclusiveResources),
            exclusive.Sign());
}

}  // namespace
}  // namespace numalign::agent::publish
