#include "extender/view/pinned_decision.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "extender/view/nrt_node_model.h"
#include "numa/allocation/pinned_annotation.h"
#include "numa/pod/pod_spec.h"

namespace numalign::extender {
namespace {

using Numa = std::map<std::string, std::vector<int>>;

// Real CPU ids interleaved across the zones, as on SMT machines: what the view's synthetic
// machine (CPUs numbered zone by zone) would get wrong if it read the ids as its own.
kube::NodeResourceTopology TwoZones(const std::string& zone0 = "0-3,8-11",
                                    const std::string& zone1 = "4-7,12-15") {
  kube::NodeResourceTopology nrt;
  nrt.name = "n1";
  for (const auto& [name, cpus] : {std::pair{"node-0", zone0}, std::pair{"node-1", zone1}}) {
    kube::NrtZone zone;
    zone.name = name;
    zone.type = "Node";
    zone.attributes.push_back({std::string(kZoneCpusAttribute), cpus});
    nrt.zones.push_back(zone);
  }
  return nrt;
}

kube::Json Container(const std::string& name, const std::string& cpu,
                     const std::string& hugepages = "") {
  kube::Json requests = {{"cpu", cpu}, {"memory", "1Gi"}};
  if (!hugepages.empty()) requests["hugepages-2Mi"] = hugepages;
  return {{"name", name}, {"resources", {{"requests", requests}, {"limits", requests}}}};
}

kube::Json Pod(kube::Json containers, kube::Json init_containers = kube::Json::array()) {
  return {{"metadata", {{"name", "p"}, {"namespace", "default"}, {"uid", "uid-p"}}},
          {"spec",
           {{"nodeName", "n1"}, {"initContainers", init_containers}, {"containers", containers}}}};
}

numa::PodRequests Requests(const kube::Json& pod) {
  std::string error;
  auto spec = numa::ParsePodJson(pod, &error);
  EXPECT_TRUE(spec) << error;
  return numa::ComputePodRequests(*spec);
}

numa::PinnedContainer Pinned(const std::string& name, std::vector<int> cpus, std::vector<int> mems,
                             bool exclusive) {
  return {name, {std::move(cpus), std::move(mems)}, exclusive};
}

// A pod carrying numalign.io/pinned as the agent writes it.
kube::Json WithPinned(kube::Json pod, std::vector<numa::PinnedContainer> containers,
                      const std::string& node = "n1", const std::string& uid = "uid-p") {
  numa::PinnedRecord record;
  record.node = node;
  record.pod_uid = uid;
  record.pod = {{0}, {0}};
  record.containers = std::move(containers);
  pod["metadata"]["annotations"] = {
      {std::string(numa::kPinnedAnnotation), numa::SerializePinnedRecord(record)}};
  return pod;
}

TEST(ZoneCpusTest, MapsRealCpuIdsToTheirZones) {
  const auto zones = ZoneCpus::FromNrt(TwoZones());
  ASSERT_TRUE(zones.known()) << zones.problem();
  EXPECT_EQ(zones.ZoneOf(9), 0);
  EXPECT_EQ(zones.ZoneOf(4), 1);
  EXPECT_EQ(zones.ZoneOf(15), 1);
  EXPECT_EQ(zones.ZoneOf(16), std::nullopt);
}

TEST(ZoneCpusTest, UnknownUnlessEveryZonePublishesAValidDisjointList) {
  auto older_agent = TwoZones();
  older_agent.zones[1].attributes.clear();
  auto zones = ZoneCpus::FromNrt(older_agent);
  EXPECT_FALSE(zones.known());
  EXPECT_EQ(zones.problem(), "zone node-1 publishes no numalign.io/cpus");
  EXPECT_EQ(zones.ZoneOf(0), std::nullopt) << "a partial map would place CPUs by guesswork";

  EXPECT_FALSE(ZoneCpus::FromNrt(TwoZones("0-3", "3-7")).known());
  EXPECT_FALSE(ZoneCpus::FromNrt(TwoZones("0-3", "7-4")).known());
  EXPECT_FALSE(ZoneCpus::FromNrt(kube::NodeResourceTopology{}).known());
  // A memory-only zone lists no CPU; that is known, not missing.
  EXPECT_TRUE(ZoneCpus::FromNrt(TwoZones("0-7", "")).known());
}

TEST(ReadPinnedPlacementTest, KeepsExclusiveCpusAndMemsOfThisNodeAndPodOnly) {
  const auto pod = WithPinned(
      Pod({Container("app", "2"), Container("side", "500m")}),
      {Pinned("app", {4, 12}, {1}, true), Pinned("side", {0, 1, 2, 3, 5, 6, 7, 8}, {0, 1}, false)});
  const auto placement = ReadPinnedPlacement(pod, "n1");
  ASSERT_TRUE(placement);
  EXPECT_EQ(placement->containers,
            (std::vector<PinnedPlacement::Container>{{"app", {4, 12}, {1}}, {"side", {}, {0, 1}}}))
      << "the shared pool's CPUs are not kept";

  EXPECT_FALSE(ReadPinnedPlacement(pod, "n2")) << "pinned on another node";
  EXPECT_FALSE(ReadPinnedPlacement(
      WithPinned(Pod({Container("app", "2")}), {Pinned("app", {4, 12}, {1}, true)}, "n1", "old"),
      "n1"))
      << "pinned for an earlier pod of the same name";
  auto malformed = pod;
  malformed["metadata"]["annotations"][std::string(numa::kPinnedAnnotation)] =
      "{\"version\":\"v9\"}";
  EXPECT_FALSE(ReadPinnedPlacement(malformed, "n1"));
  EXPECT_FALSE(ReadPinnedPlacement(Pod({Container("app", "2")}), "n1"));
}

std::optional<numa::AllocationDecision> Derive(
    const kube::Json& pod, bool memory_pinned = true,
    const ZoneCpus& zones = ZoneCpus::FromNrt(TwoZones()), std::string* error = nullptr) {
  auto placement = ReadPinnedPlacement(pod, "n1");
  EXPECT_TRUE(placement);
  std::string ignored;
  return DecisionFromPinned(*placement, Requests(pod), "n1", zones, memory_pinned,
                            error ? error : &ignored);
}

TEST(DecisionFromPinnedTest, ExclusiveAndSharedPoolContainers) {
  const auto pod = WithPinned(
      Pod({Container("app", "3", "4Mi"), Container("side", "1500m")}),
      {Pinned("app", {5, 12, 13}, {1}, true), Pinned("side", {0, 1, 2, 3, 8, 9}, {0}, false)});
  const auto decision = Derive(pod);
  ASSERT_TRUE(decision);
  EXPECT_EQ(decision->node, "n1");
  EXPECT_EQ(decision->pod_uid, "uid-p");
  EXPECT_EQ(decision->containers,
            (std::vector<numa::ContainerNumaDecision>{
                {"app", 3, Numa{{"cpu", {1}}, {"hugepages-2Mi", {1}}, {"memory", {1}}}},
                {"side", 0, Numa{{"memory", {0}}}}}));
}

TEST(DecisionFromPinnedTest, CpusAcrossZonesGiveEveryZone) {
  const auto pod = WithPinned(Pod({Container("app", "2")}), {Pinned("app", {3, 4}, {0, 1}, true)});
  const auto decision = Derive(pod);
  ASSERT_TRUE(decision);
  EXPECT_EQ(decision->containers[0].numa, (Numa{{"cpu", {0, 1}}, {"memory", {0, 1}}}));
}

// A regular init container's memory is released when the pod starts, so the agent confirms it on
// every node; a sidecar (restartable init container) keeps its memory.
TEST(DecisionFromPinnedTest, InitContainersMemoryFollowsTheirCpusOrTheFirstAppContainer) {
  kube::Json sidecar = Container("sidecar", "1");
  sidecar["restartPolicy"] = "Always";
  const auto pod = WithPinned(
      Pod({Container("app", "2")}, {Container("setup", "2"), Container("fetch", "500m"), sidecar}),
      {Pinned("setup", {0, 1}, {0, 1}, true), Pinned("fetch", {2, 3, 8}, {0, 1}, false),
       Pinned("sidecar", {6}, {1}, true), Pinned("app", {4, 5}, {1}, true)});
  const auto decision = Derive(pod);
  ASSERT_TRUE(decision);
  EXPECT_EQ(decision->containers, (std::vector<numa::ContainerNumaDecision>{
                                      {"setup", 2, Numa{{"cpu", {0}}, {"memory", {0}}}},
                                      {"fetch", 0, Numa{{"memory", {1}}}},
                                      {"sidecar", 1, Numa{{"cpu", {1}}, {"memory", {1}}}},
                                      {"app", 2, Numa{{"cpu", {1}}, {"memory", {1}}}}}));
}

// Without a Memory Manager the agent's mems are every node: no memory placement to replay.
TEST(DecisionFromPinnedTest, MemsAreNoPlacementWhenTheNodeDoesNotPinMemory) {
  const auto pod =
      WithPinned(Pod({Container("app", "2")}, {Container("setup", "1")}),
                 {Pinned("setup", {8}, {0, 1}, true), Pinned("app", {4, 5}, {0, 1}, true)});
  const auto decision = Derive(pod, /*memory_pinned=*/false);
  ASSERT_TRUE(decision);
  EXPECT_EQ(decision->containers,
            (std::vector<numa::ContainerNumaDecision>{{"setup", 1, Numa{{"cpu", {0}}}},
                                                      {"app", 2, Numa{{"cpu", {1}}}}}));
}

TEST(DecisionFromPinnedTest, NothingDerivedWithoutZoneCpusOrAFullRecord) {
  const auto pod = WithPinned(Pod({Container("app", "2")}), {Pinned("app", {4, 5}, {1}, true)});
  auto older_agent = TwoZones();
  for (auto& zone : older_agent.zones) zone.attributes.clear();
  std::string error;
  EXPECT_FALSE(Derive(pod, true, ZoneCpus::FromNrt(older_agent), &error));
  EXPECT_EQ(error, "the zones' CPU ids are unknown: zone node-0 publishes no numalign.io/cpus");

  EXPECT_FALSE(Derive(pod, true, ZoneCpus::FromNrt(TwoZones("0-3", "8-11")), &error));
  EXPECT_EQ(error, "container \"app\": CPU 4 is in no zone's numalign.io/cpus");

  const auto partial = WithPinned(Pod({Container("app", "2"), Container("log", "1")}),
                                  {Pinned("app", {4, 5}, {1}, true)});
  EXPECT_FALSE(Derive(partial, true, ZoneCpus::FromNrt(TwoZones()), &error));
  EXPECT_EQ(error, "container \"log\" is not in numalign.io/pinned");
}

}  // namespace
}  // namespace numalign::extender
