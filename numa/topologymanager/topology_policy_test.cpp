#include "numa/topologymanager/topology_policy.h"

#include <gtest/gtest.h>

namespace numalign::numa {
namespace {

TopologyHint H(std::initializer_list<int> bits, bool preferred) {
  return TopologyHint{NumaMask::Of(bits), preferred};
}

Machine MachineWithNodes(std::vector<int> ids) {
  Machine m;
  for (int id : ids) {
    NumaNodeInfo n;
    n.id = id;
    n.memory = 1ULL << 32;
    m.numa_nodes.push_back(n);
    for (int other : ids) m.distances[id][other] = id == other ? 10 : 20;
  }
  return m;
}

TopologyPolicy Make(TopologyPolicyName name, int nodes, TopologyPolicyOptions opts = {}) {
  std::vector<int> ids;
  for (int i = 0; i < nodes; ++i) ids.push_back(i);
  Machine m = MachineWithNodes(ids);
  std::string error;
  auto map = NumaIdMap::Create(ids, &error);
  auto p = TopologyPolicy::Create(name, opts, m, *map, &error);
  EXPECT_TRUE(p.has_value()) << error;
  return *p;
}

ProviderHints Provider(const std::string& resource, std::vector<TopologyHint> hints) {
  ProviderHints p;
  p.by_resource[resource] = std::move(hints);
  return p;
}

TEST(TopologyPolicyTest, E2RestrictedRejectsBestEffortAdmitsSingleNumaRejects) {
  auto cpu = Provider("cpu", {H({0}, true), H({1}, true), H({0, 1}, false)});
  auto mem = Provider("memory", {H({0, 1}, true)});
  auto be = Make(TopologyPolicyName::kBestEffort, 2).Merge({cpu, mem});
  EXPECT_TRUE(be.admit);
  EXPECT_EQ(be.best, H({0, 1}, false));
  auto r = Make(TopologyPolicyName::kRestricted, 2).Merge({cpu, mem});
  EXPECT_FALSE(r.admit);
  EXPECT_EQ(r.best, H({0, 1}, false));
  auto s = Make(TopologyPolicyName::kSingleNumaNode, 2).Merge({cpu, mem});
  EXPECT_FALSE(s.admit);
  EXPECT_FALSE(s.best.preferred);
}

TEST(TopologyPolicyTest, E2bFractionalCpuHasNoPreference) {
  auto mem = Provider("memory", {H({0, 1}, true)});
  auto r = Make(TopologyPolicyName::kRestricted, 2).Merge({ProviderHints{}, mem});
  EXPECT_TRUE(r.admit);
  EXPECT_EQ(r.best, H({0, 1}, true));
}

TEST(TopologyPolicyTest, E2cCpusAndMemoryBothNeedTwoNodes) {
  auto cpu = Provider("cpu", {H({0, 1}, true)});
  auto mem = Provider("memory", {H({0, 1}, true)});
  auto r = Make(TopologyPolicyName::kRestricted, 2).Merge({cpu, mem});
  EXPECT_TRUE(r.admit);
  EXPECT_EQ(r.best, H({0, 1}, true));
}

TEST(TopologyPolicyTest, E14EveryMergeNonPreferred) {
  auto cpu = Provider("cpu", {H({0, 1}, true)});
  auto mem = Provider("memory", {H({0}, true), H({1}, true), H({0, 1}, false)});
  auto r = Make(TopologyPolicyName::kRestricted, 2).Merge({cpu, mem});
  EXPECT_FALSE(r.admit);
  EXPECT_EQ(r.best, H({0, 1}, false));
  EXPECT_TRUE(Make(TopologyPolicyName::kBestEffort, 2).Merge({cpu, mem}).admit);
}

TEST(TopologyPolicyTest, E10SingleNumaNodeOnOneNodeMapsToNil) {
  auto mem = Provider("memory", {H({0}, true)});
  auto s = Make(TopologyPolicyName::kSingleNumaNode, 1).Merge({mem});
  EXPECT_TRUE(s.admit);
  EXPECT_EQ(s.best, (TopologyHint{std::nullopt, true}));
}

TEST(TopologyPolicyTest, SingleNumaNodeAllNoPreferenceStoresNilPreferred) {
  auto s = Make(TopologyPolicyName::kSingleNumaNode, 2).Merge({ProviderHints{}, ProviderHints{}});
  EXPECT_TRUE(s.admit);
  EXPECT_EQ(s.best, (TopologyHint{std::nullopt, true}));
}

TEST(TopologyPolicyTest, SingleNumaNodeIgnoresPreferClosest) {
  TopologyPolicyOptions opts;
  opts.prefer_closest_numa_nodes = true;
  auto p = Make(TopologyPolicyName::kSingleNumaNode, 2, opts);
  EXPECT_FALSE(p.fitness().PrefersClosest());
}

TEST(TopologyPolicyTest, NonePolicyNeverMerges) {
  auto d = Make(TopologyPolicyName::kNone, 2).Merge({Provider("cpu", {})});
  EXPECT_TRUE(d.admit);
  EXPECT_EQ(d.best, TopologyHint{});
}

TEST(TopologyPolicyTest, NodeLimit) {
  std::vector<int> ids;
  for (int i = 0; i < 9; ++i) ids.push_back(i);
  Machine m = MachineWithNodes(ids);
  std::string error;
  auto map = NumaIdMap::Create(ids, &error);
  EXPECT_FALSE(TopologyPolicy::Create(TopologyPolicyName::kRestricted, {}, m, *map, &error));
  EXPECT_EQ(error, "unsupported on machines with more than 8 NUMA Nodes");
  EXPECT_TRUE(TopologyPolicy::Create(TopologyPolicyName::kNone, {}, m, *map, &error));
  TopologyPolicyOptions opts;
  opts.max_allowable_numa_nodes = 9;
  EXPECT_TRUE(TopologyPolicy::Create(TopologyPolicyName::kRestricted, opts, m, *map, &error));
}

TEST(TopologyPolicyTest, PreferClosestWithoutDistancesIsAnErrorNotACrash) {
  Machine m = MachineWithNodes({0, 5});
  m.distances.clear();
  std::string error;
  auto map = NumaIdMap::Create({0, 5}, &error);
  TopologyPolicyOptions opts;
  opts.prefer_closest_numa_nodes = true;
  EXPECT_FALSE(TopologyPolicy::Create(TopologyPolicyName::kBestEffort, opts, m, *map, &error));
  EXPECT_NE(error.find("error getting NUMA distances"), std::string::npos);
}

TEST(TopologyPolicyTest, SparseAndLargeIdsWithPreferClosestWork) {
  Machine m = MachineWithNodes({0, 70, 250});
  std::string error;
  auto map = NumaIdMap::Create({0, 70, 250}, &error);
  ASSERT_TRUE(map);
  TopologyPolicyOptions opts;
  opts.prefer_closest_numa_nodes = true;
  auto p = TopologyPolicy::Create(TopologyPolicyName::kBestEffort, opts, m, *map, &error);
  ASSERT_TRUE(p) << error;
  auto d = p->Merge({Provider("cpu", {TopologyHint{map->MaskOfIds({70}), true}})});
  EXPECT_EQ(map->IdsOf(*d.best.affinity), std::vector<int>{70});
}

TEST(PolicyOptionsTest, KubeletRulesAndMessages) {
  std::string error;
  auto o = ParseTopologyPolicyOptions(
      {{"prefer-closest-numa-nodes", "true"}, {"max-allowable-numa-nodes", "16"}}, {}, &error);
  ASSERT_TRUE(o) << error;
  EXPECT_TRUE(o->prefer_closest_numa_nodes);
  EXPECT_EQ(o->max_allowable_numa_nodes, 16);
  EXPECT_EQ(ParseTopologyPolicyOptions({}, {}, &error)->max_allowable_numa_nodes, 8);

  EXPECT_FALSE(ParseTopologyPolicyOptions({{"max-allowable-numa-nodes", "4"}}, {}, &error));
  EXPECT_EQ(error, "the minimum value of \"max-allowable-numa-nodes\" should not be less than 8");
  EXPECT_FALSE(ParseTopologyPolicyOptions({{"max-allowable-numa-nodes", "x"}}, {}, &error));
  EXPECT_EQ(error,
            "unable to convert policy option to integer \"max-allowable-numa-nodes\": "
            "strconv.Atoi: parsing \"x\": invalid syntax");
  EXPECT_FALSE(ParseTopologyPolicyOptions({{"prefer-closest-numa-nodes", "yes"}}, {}, &error));
  EXPECT_EQ(error,
            "bad value for option \"prefer-closest-numa-nodes\": strconv.ParseBool: parsing "
            "\"yes\": invalid syntax");
  EXPECT_FALSE(ParseTopologyPolicyOptions({{"bogus", "1"}}, {}, &error));
  EXPECT_EQ(error, "unknown Topology Manager Policy option: \"bogus\"");
  EXPECT_FALSE(ParseTopologyPolicyOptions({{"max-allowable-numa-nodes", "9"}},
                                          {{"TopologyManagerPolicyBetaOptions", false}}, &error));
  EXPECT_EQ(error,
            "Topology Manager Policy Beta-level Options not enabled, but option "
            "\"max-allowable-numa-nodes\" provided");
  // GA options need no gate.
  EXPECT_TRUE(ParseTopologyPolicyOptions({{"prefer-closest-numa-nodes", "0"}},
                                         {{"TopologyManagerPolicyBetaOptions", false}}, &error));
}

TEST(PolicyOptionsTest, PolicyAndScopeNames) {
  std::string error;
  EXPECT_EQ(ParseTopologyPolicyName("single-numa-node", &error),
            TopologyPolicyName::kSingleNumaNode);
  EXPECT_FALSE(ParseTopologyPolicyName("strict", &error));
  EXPECT_EQ(error, "unknown policy: \"strict\"");
  EXPECT_EQ(ParseTopologyScopeName("pod", &error), TopologyScopeName::kPod);
  EXPECT_FALSE(ParseTopologyScopeName("node", &error));
  EXPECT_EQ(error, "unknown scope: \"node\"");
}

}  // namespace
}  // namespace numalign::numa
