#include "agent/publish/pod_fingerprint.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace numalign::agent::publish {
namespace {

using Pods = std::vector<std::pair<std::string, std::string>>;

AdmittedPodState Pod(std::string uid, std::string ns, std::string name) {
  AdmittedPodState pod;
  pod.uid = std::move(uid);
  pod.namespace_name = std::move(ns);
  pod.name = std::move(name);
  return pod;
}

std::string Sign(const Pods& pods) {
  PodFingerprint fingerprint;
  for (const auto& [ns, name] : pods) fingerprint.Add(ns, name);
  return fingerprint.Sign();
}

// The podfingerprint library's own compatibility vectors (testdata/compat-*.txt/.sign): the
// scheduler-plugins cache computes these on its side, so ours must be identical.
TEST(PodFingerprintTest, MatchesUpstreamCompatVectorTiny) {
  EXPECT_EQ(Sign({{"production", "jaeger-dpgjk"},
                  {"production", "nginx-rt684"},
                  {"production", "envoy-g9m22"}}),
            "pfp0v001607b76a0e9d3aeb4");
}

TEST(PodFingerprintTest, MatchesUpstreamCompatVectorSmall) {
  EXPECT_EQ(Sign({{"analytics", "controller-69dkj"},
                  {"kube-public", "subscriber-tq6v7"},
                  {"kube-public", "transformer-hfbng"},
                  {"kube-public", "validator-c6pn5"},
                  {"kube-system", "proxy-wszrd"},
                  {"middleware", "processor-jkrl4"},
                  {"network", "gateway-vsll5"},
                  {"network", "importer-kzdfr"},
                  {"network", "importer-q5vt9"},
                  {"staging", "prometheus-bwgbn"}}),
            "pfp0v001567144e4a561bb5a");
}

TEST(PodFingerprintTest, OrderIndependent) {
  EXPECT_EQ(Sign({{"a", "x"}, {"b", "y"}, {"c", "z"}}), Sign({{"c", "z"}, {"a", "x"}, {"b", "y"}}));
  EXPECT_NE(Sign({{"a", "x"}}), Sign({{"x", "a"}}));
}

TEST(PodFingerprintTest, EmptySetIsTheHashOfNothing) {
  EXPECT_EQ(Sign({}), "pfp0v001ef46db3751d8e999");
}

TEST(PodFingerprintTest, MethodWithExclusiveResourcesSkipsSharedPoolPods) {
  AdmittedPodState pinned = Pod("1", "production", "jaeger-dpgjk");
  pinned.exclusive_cpus["c"] = {2, 3};
  AdmittedPodState memory_only = Pod("2", "production", "nginx-rt684");
  memory_only.memory_numa["c"]["memory"] = {0};
  AdmittedPodState shared = Pod("3", "production", "envoy-g9m22");
  shared.exclusive_cpus["c"] = {};
  const std::vector<AdmittedPodState> pods{pinned, memory_only, shared};

  EXPECT_EQ(FingerprintPods(pods, FingerprintMethod::kAll), "pfp0v001607b76a0e9d3aeb4");
  EXPECT_EQ(FingerprintPods(pods, FingerprintMethod::kWithExclusiveResources),
            Sign({{"production", "jaeger-dpgjk"}, {"production", "nginx-rt684"}}));
}

TEST(PodFingerprintTest, MethodNamesRoundTrip) {
  FingerprintMethod method{};
  ASSERT_TRUE(ParseFingerprintMethod("with-exclusive-resources", &method));
  EXPECT_EQ(FingerprintMethodName(method), "with-exclusive-resources");
  ASSERT_TRUE(ParseFingerprintMethod("all", &method));
  EXPECT_EQ(FingerprintMethodName(method), "all");
  EXPECT_FALSE(ParseFingerprintMethod("exclude-terminal", &method));
}

}  // namespace
}  // namespace numalign::agent::publish
