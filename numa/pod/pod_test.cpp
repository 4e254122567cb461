#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "numa/pod/pod_requests.h"
#include "numa/pod/pod_spec.h"
#include "numa/pod/qos.h"

namespace numalign::numa {
namespace {

using nlohmann::json;

json Container(const std::string& name, json requests, json limits) {
  return {{"name", name}, {"resources", {{"requests", requests}, {"limits", limits}}}};
}

json Pod(json containers, json init = json::array()) {
  return {{"metadata", {{"name", "p"}, {"namespace", "ns"}, {"uid", "u1"}}},
          {"spec", {{"containers", containers}, {"initContainers", init}}}};
}

PodSpec Parse(const json& pod) {
  std::string error;
  auto p = ParsePodJson(pod, &error);
  EXPECT_TRUE(p.has_value()) << error;
  return p.value_or(PodSpec{});
}

const json kGuaranteed = {{"cpu", "2"}, {"memory", "1Gi"}};

TEST(PodSpecTest, ReadsMetadataAndDefaultsRequestsFromLimits) {
  PodSpec p = Parse(Pod(json::array({{{"name", "c"}, {"resources", {{"limits", kGuaranteed}}}}})));
  EXPECT_EQ(p.Key(), "ns/p");
  EXPECT_EQ(p.uid, "u1");
  ASSERT_EQ(p.containers.size(), 1u);
  EXPECT_EQ(p.containers[0].requests.at("memory").AsInt64(), 1073741824);
  EXPECT_EQ(ComputeQosClass(p), QosClass::kGuaranteed);
}

TEST(PodSpecTest, UidFallsBackToKey) {
  json pod = Pod(json::array({Container("c", kGuaranteed, kGuaranteed)}));
  pod["metadata"].erase("uid");
  EXPECT_EQ(Parse(pod).uid, "ns/p");
}

TEST(PodSpecTest, MalformedQuantityNamesTheField) {
  json pod = Pod(json::array({Container("a", kGuaranteed, kGuaranteed),
                              Container("b", {{"memory", "12XB"}}, json::object())}));
  std::string error;
  EXPECT_FALSE(ParsePodJson(pod, &error).has_value());
  EXPECT_EQ(error,
            "spec.containers[1].resources.requests.memory: unable to parse quantity's suffix");
}

TEST(PodSpecTest, BadShapesAreErrors) {
  std::string error;
  EXPECT_FALSE(ParsePodJson(json::array(), &error));
  EXPECT_FALSE(ParsePodJson(json{{"metadata", {{"name", "x"}}}}, &error));
  EXPECT_EQ(error, "spec: required");
  json pod = Pod(json::array({{{"name", 3}}}));
  EXPECT_FALSE(ParsePodJson(pod, &error));
  EXPECT_EQ(error, "spec.containers[0].name: required");
  pod = Pod(json::array({Container("c", {{"cpu", "-1"}}, json::object())}));
  EXPECT_FALSE(ParsePodJson(pod, &error));
  EXPECT_EQ(error, "spec.containers[0].resources.requests.cpu: must be greater than or equal to 0");
  pod = Pod(json::array({Container("c", {{"cpu", true}}, json::object())}));
  EXPECT_FALSE(ParsePodJson(pod, &error));
  pod = Pod(json::array({Container("c", {{"memory", "1e400"}}, json::object())}));
  EXPECT_FALSE(ParsePodJson(pod, &error));
}

TEST(QosTest, KubernetesRules) {
  auto qos = [](json containers, json init = json::array()) {
    return ComputeQosClass(Parse(Pod(containers, init)));
  };
  EXPECT_EQ(qos(json::array({Container("c", json::object(), json::object())})),
            QosClass::kBestEffort);
  // Zero quantities are ignored entirely.
  EXPECT_EQ(qos(json::array({Container("c", {{"cpu", "0"}}, json::object())})),
            QosClass::kBestEffort);
  EXPECT_EQ(qos(json::array({Container("c", {{"cpu", "1"}}, json::object())})),
            QosClass::kBurstable);
  EXPECT_EQ(qos(json::array({Container("c", kGuaranteed, kGuaranteed)})), QosClass::kGuaranteed);
  // Requests differ from limits.
  EXPECT_EQ(qos(json::array({Container("c", {{"cpu", "1"}, {"memory", "1Gi"}}, kGuaranteed)})),
            QosClass::kBurstable);
  // A container without a memory limit breaks Guaranteed.
  EXPECT_EQ(qos(json::array({Container("a", kGuaranteed, kGuaranteed),
                             Container("b", {{"cpu", "1"}}, {{"cpu", "1"}})})),
            QosClass::kBurstable);
  // Init containers count too.
  EXPECT_EQ(qos(json::array({Container("a", kGuaranteed, kGuaranteed)}),
                json::array({Container("i", {{"cpu", "1"}}, json::object())})),
            QosClass::kBurstable);
  // Equal quantities in different spellings compare equal; hugepages do not matter.
  EXPECT_EQ(
      qos(json::array({Container("a", {{"cpu", "1000m"}, {"memory", "1024Mi"}},
                                 {{"cpu", "1"}, {"memory", "1Gi"}, {"hugepages-2Mi", "2Mi"}})})),
      QosClass::kGuaranteed);
}

TEST(PodRequestsTest, ExclusiveCpusOnlyForWholeGuaranteedRequests) {
  PodRequests r = ComputePodRequests(
      Parse(Pod(json::array({Container("a", kGuaranteed, kGuaranteed),
                             Container("b", {{"cpu", "1500m"}, {"memory", "1Gi"}},
                                       {{"cpu", "1500m"}, {"memory", "1Gi"}})}))));
  EXPECT_TRUE(r.Guaranteed());
  EXPECT_EQ(r.containers[0].exclusive_cpus, 2);
  EXPECT_EQ(r.containers[1].exclusive_cpus, 0);
  EXPECT_EQ(r.pod_exclusive_cpus, 2);
  r = ComputePodRequests(Parse(Pod(json::array({Container("a", kGuaranteed, json::object())}))));
  EXPECT_EQ(r.containers[0].exclusive_cpus, 0);  // Burstable
}

TEST(PodRequestsTest, PodLevelWithInitAndSidecars) {
  auto g = [](const std::string& cpu, const std::string& mem) {
    return json{{"cpu", cpu}, {"memory", mem}};
  };
  json init = json::array({Container("i1", g("4", "4Gi"), g("4", "4Gi")),
                           Container("side", g("1", "1Gi"), g("1", "1Gi")),
                           Container("i2", g("4", "4Gi"), g("4", "4Gi"))});
  init[1]["restartPolicy"] = "Always";
  json pod = Pod(json::array({Container("app", g("2", "2Gi"), g("2", "2Gi"))}), init);
  PodRequests r = ComputePodRequests(Parse(pod));
  ASSERT_EQ(r.containers.size(), 4u);
  EXPECT_EQ(r.init_count, 3u);
  EXPECT_EQ(r.containers[1].role, ContainerRole::kRestartableInit);
  // max(app 2 + sidecar 1, init i2 after sidecar: 1 + 4) = 5
  EXPECT_EQ(r.pod_exclusive_cpus, 5);
  ASSERT_EQ(r.pod_memory.size(), 1u);
  EXPECT_EQ(r.pod_memory[0].first, "memory");
  EXPECT_EQ(r.pod_memory[0].second, 5ULL << 30);
}

TEST(PodRequestsTest, InitOnlyResourcesAreDroppedFromThePodRequest) {
  json pod =
      Pod(json::array({Container("app", kGuaranteed, kGuaranteed)}),
          json::array({Container("i", {{"cpu", "1"}, {"memory", "1Gi"}, {"hugepages-2Mi", "4Mi"}},
                                 {{"cpu", "1"}, {"memory", "1Gi"}, {"hugepages-2Mi", "4Mi"}})}));
  PodRequests r = ComputePodRequests(Parse(pod));
  ASSERT_EQ(r.pod_memory.size(), 1u);
  EXPECT_EQ(r.pod_memory[0].first, "memory");
  EXPECT_EQ(r.containers[0].memory.size(), 2u);
}

TEST(PodRequestsTest, FractionalBytesBecomeTheMemoryManagerError) {
  json pod = Pod(json::array({Container("app", {{"cpu", "1"}, {"memory", "1500m"}},
                                        {{"cpu", "1"}, {"memory", "1500m"}})}));
  PodRequests r = ComputePodRequests(Parse(pod));
  ASSERT_TRUE(r.containers[0].memory_error.has_value());
  EXPECT_EQ(*r.containers[0].memory_error, "[memorymanager] failed to represent quantity as int64");
  EXPECT_TRUE(r.pod_memory_error.has_value());
}

}  // namespace
}  // namespace numalign::numa
