#include "sim/cluster/cluster_loader.h"

#include <gtest/gtest.h>

#include "sim/testing/sim_test_support.h"

namespace numalign::sim {
namespace {

std::string Error(const std::string& yaml) {
  std::string error;
  auto cluster = ParseClusterYaml(yaml, DefaultTopologyDir(), &error);
  EXPECT_FALSE(cluster) << "accepted:\n" << yaml;
  return error;
}

TEST(ClusterYaml, ExpandsCountsAndMergesKubeletFields) {
  ASSERT_TRUE(testing::TopologyAvailable("epyc-corona"));
  ASSERT_TRUE(testing::TopologyAvailable("g4dnmetal"));
  std::string error;
  auto cluster = ParseClusterYaml(R"(
kubelet: {topologyManagerPolicy: restricted}
nodes:
- name: amd
  topology: epyc-corona
  count: 2
  labels: {rack: a}
- name: intel
  topology: g4dnmetal
  kubelet: {topologyManagerScope: pod}
)",
                                  DefaultTopologyDir(), &error);
  ASSERT_TRUE(cluster) << error;
  ASSERT_EQ(cluster->spec.nodes.size(), 3u);
  ASSERT_EQ(cluster->machines.size(), 3u);
  EXPECT_EQ(cluster->spec.nodes[0].name, "amd-0");
  EXPECT_EQ(cluster->spec.nodes[1].name, "amd-1");
  EXPECT_EQ(cluster->spec.nodes[2].name, "intel");
  EXPECT_EQ(cluster->spec.nodes[0].topology, "epyc-corona");
  EXPECT_EQ(cluster->spec.nodes[0].labels.at("rack"), "a");
  EXPECT_EQ(cluster->machines[0].numa_nodes.size(), 8u);
  EXPECT_EQ(cluster->spec.nodes[0].kubelet.topology_manager_policy, "restricted");
  EXPECT_EQ(cluster->spec.nodes[0].kubelet.topology_manager_scope, "container");
  EXPECT_EQ(cluster->spec.nodes[2].kubelet.topology_manager_scope, "pod");
  // The default profile's reservation (924Mi kube-reserved + 100Mi eviction) went to NUMA 0.
  ASSERT_EQ(cluster->spec.nodes[0].kubelet.reserved_memory.size(), 1u);
  EXPECT_EQ(cluster->spec.nodes[0].kubelet.reserved_memory[0].numa_node, 0);
  EXPECT_EQ(cluster->spec.nodes[0].kubelet.reserved_memory[0].limits[0].second, testing::Q("1Gi"));
}

TEST(ClusterYaml, ErrorsNameTheField) {
  ASSERT_TRUE(testing::TopologyAvailable("epyc-corona"));
  EXPECT_EQ(Error("nodes: []"), "cluster.nodes: required, a non-empty list of nodes");
  EXPECT_EQ(Error("nodes: [{name: a}]"), "nodes[0].topology: required (a file of " +
                                             DefaultTopologyDir() + " without .xml, or a path)");
  EXPECT_EQ(Error("nodes: [{name: a, topology: epyc-corona, cpus: 4}]"),
            "nodes[0]: unknown field `cpus` (known: name, topology, count, labels, kubelet)");
  EXPECT_EQ(Error("nodes: [{name: a, topology: epyc-corona, count: 0}]"),
            "nodes[0].count: must be an integer from 1 to 100000");
  EXPECT_EQ(Error("nodes: [{name: a, topology: epyc-corona}, {name: a, topology: epyc-corona}]"),
            "nodes[1].name: duplicate node name a");
  EXPECT_TRUE(
      Error("nodes: [{name: a, topology: no-such-machine}]").starts_with("nodes[0].topology: "));
  const std::string bad_policy = Error(
      "nodes: [{name: a, topology: epyc-corona, kubelet: {topologyManagerPolicy: "
      "strict}}]");
  EXPECT_TRUE(
      bad_policy.starts_with("nodes[0].kubelet: the kubelet would not start on "
                             "epyc-corona: "))
      << bad_policy;
  EXPECT_TRUE(Error("nodes: [a").starts_with("cluster YAML: "));
}

TEST(FlagCluster, AssignsTopologiesRoundRobin) {
  ASSERT_TRUE(testing::TopologyAvailable("epyc-corona"));
  ASSERT_TRUE(testing::TopologyAvailable("g4dnmetal"));
  std::string error;
  auto cluster =
      MakeFlagCluster(3, {"epyc-corona", "g4dnmetal"}, {{"topologyManagerPolicy", "best-effort"}},
                      DefaultTopologyDir(), &error);
  ASSERT_TRUE(cluster) << error;
  ASSERT_EQ(cluster->spec.nodes.size(), 3u);
  EXPECT_EQ(cluster->spec.nodes[0].name, "node-0000");
  EXPECT_EQ(cluster->spec.nodes[1].topology, "g4dnmetal");
  EXPECT_EQ(cluster->spec.nodes[2].topology, "epyc-corona");
  EXPECT_EQ(cluster->spec.nodes[2].kubelet.topology_manager_policy, "best-effort");
  EXPECT_FALSE(MakeFlagCluster(0, {"epyc-corona"}, {}, DefaultTopologyDir(), &error));
  EXPECT_EQ(error, "--nodes: must be at least 1");
}

}  // namespace
}  // namespace numalign::sim
