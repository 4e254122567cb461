#include "kube/objects/pod_fingerprint.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace numalign::kube {
namespace {

using Pods = std::vector<std::pair<std::string, std::string>>;

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

TEST(PodFingerprintTest, KeptPodHashesSignLikeTheNames) {
  PodFingerprint from_hashes;
  from_hashes.AddPodHash(PodFingerprint::PodHash("production", "nginx-rt684"));
  from_hashes.AddPodHash(PodFingerprint::PodHash("production", "envoy-g9m22"));
  from_hashes.AddPodHash(PodFingerprint::PodHash("production", "jaeger-dpgjk"));
  EXPECT_EQ(from_hashes.Sign(), "pfp0v001607b76a0e9d3aeb4");
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
}  // namespace numalign::kube
