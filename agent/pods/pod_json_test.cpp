#include "agent/pods/pod_json.h"

#include <gtest/gtest.h>

namespace numalign::agent {
namespace {

TEST(PodJson, ExtractsWhatTheAgentNeeds) {
  const auto pod = nlohmann::json::parse(R"({
    "metadata": {"name": "p", "namespace": "ns", "uid": "00000000-0000-0000-0000-000000000001",
                 "creationTimestamp": "2026-01-01T00:00:00Z",
                 "annotations": {"numalign.io/allocation": "{}", "numalign.io/pinned": "x"}},
    "spec": {"containers": [{"name": "app", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]},
    "status": {"phase": "Running",
               "containerStatuses": [{"name": "app", "containerID": "containerd://abc"}]}})");
  std::string error;
  auto o = PodObservationFromJson(pod, &error);
  ASSERT_TRUE(o) << error;
  EXPECT_EQ(o->spec.Key(), "ns/p");
  EXPECT_EQ(o->creation_timestamp, "2026-01-01T00:00:00Z");
  EXPECT_EQ(o->allocation_annotation, "{}");
  EXPECT_EQ(o->pinned_annotation, "x");
  EXPECT_FALSE(o->terminated);
  EXPECT_EQ(o->container_ids.at("app"), "containerd://abc");
}

TEST(PodJson, TerminalPhasesReleaseAndBadPodsAreErrorsNotCrashes) {
  std::string error;
  auto done = PodObservationFromJson(
      nlohmann::json::parse(
          R"({"metadata": {"name": "p", "uid": "u"}, "spec": {"containers": [{"name": "c"}]},
                                "status": {"phase": "Succeeded"}})"),
      &error);
  ASSERT_TRUE(done) << error;
  EXPECT_TRUE(done->terminated);
  EXPECT_FALSE(PodObservationFromJson(nlohmann::json::array(), &error));
  EXPECT_FALSE(PodObservationFromJson(
      nlohmann::json::parse(R"({"metadata": {"name": "p", "uid": "u"}, "spec": {"containers": [
          {"name": "c", "resources": {"limits": {"memory": "lots"}}}]}})"),
      &error));
  EXPECT_NE(error.find("memory"), std::string::npos) << error;
  EXPECT_FALSE(PodObservationFromJson(
      nlohmann::json::parse(
          R"({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c"}]}})"),
      &error));
}

}  // namespace
}  // namespace numalign::agent
