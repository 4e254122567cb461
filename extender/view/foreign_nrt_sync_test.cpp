#include "extender/view/foreign_nrt_sync.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace numalign::extender {
namespace {

numa::Quantity Q(const std::string& text) {
  std::string error;
  return *numa::Quantity::Parse(text, &error);
}

// Two zones: cpu and memory available as given, plus a device only node-1 has.
kube::NodeResourceTopology Nrt(const std::string& cpu0, const std::string& cpu1) {
  kube::NodeResourceTopology nrt;
  nrt.name = "n1";
  nrt.attributes.push_back({"topologyManagerPolicy", "single-numa-node"});
  for (int z = 0; z < 2; ++z) {
    kube::NrtZone zone;
    zone.name = "node-" + std::to_string(z);
    zone.type = "Node";
    const std::string& cpu = z == 0 ? cpu0 : cpu1;
    zone.resources.push_back({"cpu", Q("8"), Q("8"), Q(cpu)});
    zone.resources.push_back({"memory", Q("8Gi"), Q("8Gi"), Q("4Gi")});
    if (z == 1) zone.resources.push_back({"example.com/nic", Q("2"), Q("2"), Q("2")});
    nrt.zones.push_back(zone);
  }
  return nrt;
}

kube::NodeResourceTopology WithFingerprint(kube::NodeResourceTopology nrt,
                                           const std::vector<std::string>& names,
                                           const std::string& method) {
  kube::PodFingerprint fingerprint;
  for (const auto& name : names) fingerprint.Add("team", name);
  nrt.attributes.push_back({std::string(kube::kPodFingerprintAttribute), fingerprint.Sign()});
  nrt.attributes.push_back({std::string(kube::kPodFingerprintMethodAttribute), method});
  return nrt;
}

FingerprintMember Member(const std::string& name, bool exclusive) {
  return {"n1", kube::PodFingerprint::PodHash("team", name), exclusive};
}

const numa::Quantity& Allocatable(const ForeignNrtSync::Accounting& a, int zone, int resource) {
  return a.nrt.zones[zone].resources[resource].allocatable;
}

TEST(ReserveCacheRequestTest, LargerOfAppSumAndLargestInitContainer) {
  numa::PodSpec pod;
  pod.init_containers = {{"i1", numa::ContainerRole::kInit, {{"cpu", Q("3")}}, {}},
                         {"i2", numa::ContainerRole::kInit, {{"memory", Q("4Gi")}}, {}}};
  pod.containers = {{"a", numa::ContainerRole::kApp, {{"cpu", Q("1")}, {"memory", Q("1Gi")}}, {}},
                    {"b", numa::ContainerRole::kApp, {{"cpu", Q("1")}, {"memory", Q("1Gi")}}, {}}};
  EffectiveRequest expected{{"cpu", Q("3")}, {"memory", Q("4Gi")}};
  EXPECT_EQ(ReserveCacheRequest(pod), expected);
}

TEST(ForeignNrtSyncTest, UnaccountedPodIsChargedOnEveryZoneFlooredAtZero) {
  ForeignNrtSync sync;
  std::string uid = "uid-p";
  EffectiveRequest request{{"cpu", Q("6")}, {"example.com/nic", Q("1")}, {"memory", Q("5Gi")}};
  // Published before p: the fingerprint of no pods, while the view knows p on the node.
  sync.UpdatePod("n1", uid, Member("p", true));
  auto a = sync.Account(WithFingerprint(Nrt("7", "8"), {}, "all"), {{&uid, &request}});
  EXPECT_FALSE(a.fingerprint_matches);
  EXPECT_FALSE(a.replay_unstarted);
  EXPECT_EQ(a.charged, std::vector<std::string>{uid});
  EXPECT_EQ(Allocatable(a, 0, 0), Q("1"));
  EXPECT_EQ(Allocatable(a, 1, 0), Q("2"));
  EXPECT_EQ(Allocatable(a, 0, 1), Q("0"));  // 4Gi - 5Gi floors at 0
  EXPECT_EQ(Allocatable(a, 1, 2), Q("1"));  // the device, on the one zone that has it
}

TEST(ForeignNrtSyncTest, MatchTrustsTheNrtAndLaterMismatchesKeepIt) {
  ForeignNrtSync sync;
  std::string p = "uid-p", q = "uid-q";
  EffectiveRequest request{{"cpu", Q("4")}};
  sync.UpdatePod("n1", p, Member("p", true));
  auto a = sync.Account(WithFingerprint(Nrt("7", "4"), {"p"}, "with-exclusive-resources"),
                        {{&p, &request}});
  EXPECT_TRUE(a.fingerprint_matches);
  EXPECT_TRUE(a.charged.empty());
  EXPECT_EQ(Allocatable(a, 1, 0), Q("4"));
  // q runs; a newer NRT for another pod set (and another policy) arrives: its counts are not
  // used, its attributes are, and q is charged on the trusted counts.
  sync.UpdatePod("n1", q, Member("q", true));
  kube::NodeResourceTopology newer =
      WithFingerprint(Nrt("8", "8"), {"p", "r"}, "with-exclusive-resources");
  newer.attributes[0].value = "restricted";
  a = sync.Account(newer, {{&p, &request}, {&q, &request}});
  EXPECT_FALSE(a.fingerprint_matches);
  EXPECT_EQ(a.charged, std::vector<std::string>{q});
  EXPECT_EQ(Allocatable(a, 0, 0), Q("3"));
  EXPECT_EQ(Allocatable(a, 1, 0), Q("0"));
  EXPECT_EQ(a.nrt.Attribute("topologyManagerPolicy"), "restricted");
  // A shared-pool pod is outside with-exclusive-resources: the matching NRT still matches.
  std::string shared = "uid-s";
  sync.UpdatePod("n1", shared, Member("s", false));
  a = sync.Account(WithFingerprint(Nrt("3", "0"), {"p", "q"}, "with-exclusive-resources"),
                   {{&p, &request}, {&q, &request}});
  EXPECT_TRUE(a.fingerprint_matches);
  EXPECT_TRUE(a.charged.empty());
}

TEST(ForeignNrtSyncTest, WithoutFingerprintTheEarlierRuleApplies) {
  ForeignNrtSync sync;
  std::string p = "uid-p";
  EffectiveRequest request{{"cpu", Q("4")}};
  auto a = sync.Account(Nrt("7", "8"), {{&p, &request}});
  EXPECT_TRUE(a.replay_unstarted);
  EXPECT_TRUE(a.charged.empty());
  EXPECT_EQ(Allocatable(a, 0, 0), Q("7"));  // `available` is the start
}

TEST(ForeignNrtSyncTest, PublishedFingerprintIsReadLikeAutodetect) {
  kube::NodeResourceTopology nrt = Nrt("1", "1");
  EXPECT_FALSE(PublishedFingerprintOf(nrt));
  kube::Json object = {
      {"metadata", {{"annotations", {{"topology.node.k8s.io/fingerprint", "x"}}}}}};
  KeepLegacyFingerprintAnnotation(object, &nrt);
  nrt.attributes.push_back({"nodeTopologyPodsFingerprintMethod", "with-exclusive-resources"});
  auto legacy = PublishedFingerprintOf(nrt);
  ASSERT_TRUE(legacy);
  EXPECT_EQ(legacy->value, "x");
  EXPECT_EQ(legacy->method, kube::FingerprintMethod::kAll);  // the annotation covers all pods
  nrt.attributes.push_back({"nodeTopologyPodsFingerprint", "y"});
  auto attribute = PublishedFingerprintOf(nrt);
  EXPECT_EQ(attribute->value, "y");  // the attribute wins
  EXPECT_EQ(attribute->method, kube::FingerprintMethod::kWithExclusiveResources);
  nrt.attributes[nrt.attributes.size() - 2].value = "exclude-terminal";
  EXPECT_EQ(PublishedFingerprintOf(nrt)->method, kube::FingerprintMethod::kAll);
}

}  // namespace
}  // namespace numalign::extender
