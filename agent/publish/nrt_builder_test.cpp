#include "agent/publish/nrt_builder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "kube/objects/node_resource_topology.h"

namespace numalign::agent::publish {
namespace {

constexpr std::int64_t kGi = 1024LL * 1024 * 1024;

NumaZoneState Zone(int id, std::map<int, int> distances = {}) {
  NumaZoneState zone;
  zone.numa_id = id;
  zone.distances = std::move(distances);
  return zone;
}

// The ids of inclusive ranges, ascending.
std::vector<int> CpuIds(const std::vector<std::pair<int, int>>& ranges) {
  std::vector<int> ids;
  for (const auto& [first, last] : ranges) {
    for (int cpu = first; cpu <= last; ++cpu) ids.push_back(cpu);
  }
  return ids;
}

AdmittedPodState Pod(std::string uid, std::string ns, std::string name) {
  AdmittedPodState pod;
  pod.uid = std::move(uid);
  pod.namespace_name = std::move(ns);
  pod.name = std::move(name);
  return pod;
}

// Two NUMA nodes, one pinned pod on node 0, one pod spanning both (a memory group), one
// shared-pool pod.
NodeStateSnapshot TwoNodeSnapshot() {
  NodeStateSnapshot s;
  s.node_name = "worker-17";
  s.generation = 42;
  s.topology_manager_policy = "single-numa-node";
  s.topology_manager_scope = "pod";
  s.topology_manager_max_numa_nodes = 8;
  s.cpu_manager_policy = "static";
  s.memory_manager_policy = "Static";
  s.pinning_mode = "agent";
  NumaZoneState n0 = Zone(0);
  n0.resources["cpu"] = {32, 30, 14};
  n0.resources["memory"] = {128 * kGi, 120 * kGi, 88 * kGi};
  n0.resources["hugepages-1Gi"] = {16 * kGi, 16 * kGi, 8 * kGi};
  n0.distances = {{0, 10}, {1, 21}};
  n0.cpus = CpuIds({{0, 15}, {40, 55}});
  NumaZoneState n1 = Zone(1);
  n1.resources["cpu"] = {32, 32, 32};
  n1.resources["memory"] = {128 * kGi, 126 * kGi, 126 * kGi};
  n1.resources["hugepages-2Mi"] = {0, 0, 0};
  n1.distances = {{0, 21}, {1, 10}};
  n1.cpus = CpuIds({{16, 39}, {56, 63}});
  s.zones = {n0, n1};
  s.memory_groups = {{.numa_ids = {0, 1}, .number_of_assignments = 2}};
  AdmittedPodState dpdk = Pod("u1", "net", "dpdk-app");
  dpdk.exclusive_cpus["fwd"] = {2, 3, 50, 51};
  dpdk.memory_numa["fwd"]["memory"] = {0};
  AdmittedPodState wide = Pod("u2", "db", "wide");
  wide.memory_numa["main"]["memory"] = {0, 1};
  AdmittedPodState web = Pod("u3", "default", "web");
  s.pods = {dpdk, wide, web};
  return s;
}

nlohmann::json Golden(const std::string& name, const nlohmann::json& actual) {
  const std::string path = std::string(NUMALIGN_PUBLISH_TESTDATA_DIR) + "/" + name;
  if (std::getenv("NUMALIGN_UPDATE_GOLDEN")) std::ofstream(path) << actual.dump(2) << "\n";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "missing golden file " << path;
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

TEST(NrtBuilderTest, TwoNodeObjectMatchesGolden) {
  NrtBuildOptions options;
  options.node_uid = "6f1c1c5e-8a61-4d53-9d0b-2b3c1f3b7e11";
  options.heartbeat = "2026-11-22T13:00:00Z";
  const auto nrt = BuildNodeResourceTopology(TwoNodeSnapshot(), options);
  EXPECT_EQ(nrt, Golden("nrt-two-node.json", nrt)) << nrt.dump(2);
}

TEST(NrtBuilderTest, FingerprintMethodAllMatchesGolden) {
  NrtBuildOptions options;
  options.fingerprint_method = kube::FingerprintMethod::kAll;
  auto snapshot = TwoNodeSnapshot();
  snapshot.topology_manager_policy = "restricted";
  snapshot.topology_manager_scope = "container";
  snapshot.memory_groups.clear();
  snapshot.pinning_mode = "kubelet";
  const auto nrt = BuildNodeResourceTopology(snapshot, options);
  EXPECT_EQ(nrt, Golden("nrt-method-all-no-owner.json", nrt)) << nrt.dump(2);
}

TEST(NrtBuilderTest, ComparisonFormIgnoresOnlyTheHeartbeat) {
  NrtBuildOptions a;
  NrtBuildOptions b;
  b.heartbeat = "2026-11-22T13:00:00Z";
  auto without = BuildNodeResourceTopology(TwoNodeSnapshot(), a);
  auto with = BuildNodeResourceTopology(TwoNodeSnapshot(), b);
  EXPECT_NE(without, with);
  auto& attributes = with["attributes"];
  ASSERT_EQ(attributes.back()["name"], kube::kHeartbeatAttribute);
  attributes.erase(attributes.size() - 1);
  EXPECT_EQ(without, with);
}

TEST(NrtBuilderTest, LegacyTopologyPolicies) {
  EXPECT_EQ(LegacyTopologyPolicy("none", "pod"), "None");
  EXPECT_EQ(LegacyTopologyPolicy("best-effort", "container"), "BestEffortContainerLevel");
  EXPECT_EQ(LegacyTopologyPolicy("restricted", "pod"), "RestrictedPodLevel");
  EXPECT_EQ(LegacyTopologyPolicy("single-numa-node", "container"), "SingleNUMANodeContainerLevel");
  EXPECT_EQ(LegacyTopologyPolicy("bogus", "pod"), "");
}

TEST(NrtBuilderTest, MemoryGroupsFormat) {
  EXPECT_EQ(FormatMemoryGroups({}), "");
  EXPECT_EQ(FormatMemoryGroups({{.numa_ids = {0, 1}, .number_of_assignments = 3},
                                {.numa_ids = {4}, .number_of_assignments = 1},
                                {.numa_ids = {2, 3, 8}, .number_of_assignments = 1}}),
            "0,1=3;2,3,8=1");
}

TEST(NrtBuilderTest, BadSnapshotsAreClearErrors) {
  auto no_name = TwoNodeSnapshot();
  no_name.node_name.clear();
  EXPECT_THROW(BuildNodeResourceTopology(no_name, {}), NrtBuildError);

  auto duplicate = TwoNodeSnapshot();
  duplicate.zones[1].numa_id = 0;
  try {
    BuildNodeResourceTopology(duplicate, {});
    FAIL() << "duplicate zone accepted";
  } catch (const NrtBuildError& e) {
    EXPECT_STREQ(e.what(), "NUMA node 0 appears twice");
  }

  auto negative = TwoNodeSnapshot();
  negative.zones[0].resources["cpu"].available = -1;
  EXPECT_THROW(BuildNodeResourceTopology(negative, {}), NrtBuildError);
}

TEST(NrtBuilderTest, SparseNumaIdsKeepTheirOsIds) {
  NodeStateSnapshot s;
  s.node_name = "sparse";
  s.zones = {Zone(0, {{0, 10}, {8, 32}}), Zone(8, {{0, 32}, {8, 10}})};
  const auto nrt = BuildNodeResourceTopology(s, {});
  ASSERT_EQ(nrt["zones"].size(), 2u);
  EXPECT_EQ(nrt["zones"][1]["name"], "node-8");
  EXPECT_EQ(nrt["zones"][1]["costs"][0], (nlohmann::json{{"name", "node-0"}, {"value", 32}}));
  // Unset configuration still publishes the kubelet's defaults.
  EXPECT_EQ(nrt["topologyPolicies"], nlohmann::json::array({"None"}));
}

// The extender maps the real CPU ids of numalign.io/pinned to zones with this attribute.
TEST(NrtBuilderTest, EveryZonePublishesItsCpuIds) {
  auto snapshot = TwoNodeSnapshot();
  NumaZoneState memory_only = Zone(2);
  memory_only.resources["memory"] = {64 * kGi, 64 * kGi, 64 * kGi};
  snapshot.zones.push_back(memory_only);
  const auto nrt = kube::ParseNodeResourceTopology(BuildNodeResourceTopology(snapshot, {}));
  auto cpus_of = [&](const std::string& zone) -> std::optional<std::string> {
    const auto* z = nrt.FindZone(zone);
    if (!z) return std::nullopt;
    for (const auto& a : z->attributes) {
      if (a.name == kube::kZoneCpusAttribute) return a.value;
    }
    return std::nullopt;
  };
  EXPECT_EQ(cpus_of("node-0"), "0-15,40-55");
  EXPECT_EQ(cpus_of("node-1"), "16-39,56-63");
  EXPECT_EQ(cpus_of("node-2"), "") << "a memory-only node lists no CPU, and says so";
}

}  // namespace
}  // namespace numalign::agent::publish
