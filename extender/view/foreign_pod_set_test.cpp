#include "extender/view/foreign_pod_set.h"

#include <gtest/gtest.h>

#include <string>

namespace numalign::extender {
namespace {

kube::Json Pod(const std::string& name, const std::string& node, const std::string& phase,
               kube::Json requests, bool guaranteed = true) {
  kube::Json resources = {{"requests", requests}};
  if (guaranteed) resources["limits"] = requests;
  kube::Json pod = {
      {"metadata", {{"name", name}, {"namespace", "team"}, {"uid", "uid-" + name}}},
      {"spec", {{"containers", kube::Json::array({{{"name", "c"}, {"resources", resources}}})}}}};
  if (!node.empty()) pod["spec"]["nodeName"] = node;
  if (!phase.empty()) pod["status"] = {{"phase", phase}};
  return pod;
}

kube::Json Cpu(const std::string& cpu) {
  return {{"cpu", cpu}, {"memory", "1Gi"}};
}

TEST(FingerprintMemberTest, BoundPodsPastPendingCountTerminatedOnesIncluded) {
  EXPECT_FALSE(FingerprintMemberOf(Pod("a", "", "Running", Cpu("1")), nullptr));
  EXPECT_FALSE(FingerprintMemberOf(Pod("a", "n1", "Pending", Cpu("1")), nullptr));
  EXPECT_FALSE(FingerprintMemberOf(Pod("a", "n1", "", Cpu("1")), nullptr));  // recorded decision
  for (std::string phase : {"Running", "Succeeded", "Failed"}) {
    auto member = FingerprintMemberOf(Pod("a", "n1", phase, Cpu("1")), nullptr);
    ASSERT_TRUE(member) << phase;
    EXPECT_EQ(member->node, "n1");
    EXPECT_EQ(member->pod_hash, kube::PodFingerprint::PodHash("team", "a"));
  }
}

TEST(FingerprintMemberTest, ExclusiveResourcesAsTheReserveCacheJudgesThem) {
  auto exclusive = [](const kube::Json& requests, bool guaranteed) {
    return FingerprintMemberOf(Pod("a", "n1", "Running", requests, guaranteed), nullptr)->exclusive;
  };
  EXPECT_TRUE(exclusive(Cpu("2"), true));      // whole CPUs
  EXPECT_TRUE(exclusive(Cpu("1500m"), true));  // fractional CPUs, but memory
  EXPECT_FALSE(exclusive(Cpu("2"), false));    // Burstable: shared pool
  kube::Json device = {{"cpu", "1"}, {"example.com/gpu", "1"}};
  EXPECT_TRUE(exclusive(device, false));  // devices are exclusive whatever the QoS
  kube::Json native = {{"cpu", "1"}, {"requests.kubernetes.io/thing", "1"}};
  EXPECT_FALSE(exclusive(native, false));
}

TEST(ForeignPodSetTest, FingerprintsTheNodesMembersPerMethod) {
  ForeignPodSet set;
  auto guaranteed = FingerprintMemberOf(Pod("g", "n1", "Running", Cpu("2")), nullptr);
  auto burstable = FingerprintMemberOf(Pod("b", "n1", "Running", Cpu("2"), false), nullptr);
  EXPECT_TRUE(set.Update("n1", "uid-g", guaranteed));
  EXPECT_FALSE(set.Update("n1", "uid-g", guaranteed));  // unchanged
  EXPECT_TRUE(set.Update("n1", "uid-b", burstable));
  kube::PodFingerprint all;
  all.Add("team", "g");
  all.Add("team", "b");
  kube::PodFingerprint exclusive;
  exclusive.Add("team", "g");
  EXPECT_EQ(set.Fingerprint("n1", kube::FingerprintMethod::kAll), all.Sign());
  EXPECT_EQ(set.Fingerprint("n1", kube::FingerprintMethod::kWithExclusiveResources),
            exclusive.Sign());
  EXPECT_TRUE(set.Counts("n1", "uid-b", kube::FingerprintMethod::kAll));
  EXPECT_FALSE(set.Counts("n1", "uid-b", kube::FingerprintMethod::kWithExclusiveResources));
  EXPECT_EQ(set.Fingerprint("n2", kube::FingerprintMethod::kAll), kube::PodFingerprint().Sign());
  EXPECT_TRUE(set.Update("n1", "uid-b", std::nullopt));
  EXPECT_FALSE(set.Update("n1", "uid-b", std::nullopt));
  EXPECT_EQ(set.Fingerprint("n1", kube::FingerprintMethod::kAll), exclusive.Sign());
}

}  // namespace
}  // namespace numalign::extender
