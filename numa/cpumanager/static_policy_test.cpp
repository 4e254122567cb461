#include "numa/cpumanager/static_policy.h"

#include <gtest/gtest.h>

#include "numa/cpumanager/test_machines.h"

namespace numalign::numa {
namespace {

// 2 sockets, one NUMA node each, 4 cores x 2 threads: node 0 = {0-3, 8-11}, node 1 = {4-7,
// 12-15}, core c = {c, c + 8}.
Machine SmtMachine() {
  return testing::SmtMachine(2, 1, 4, 2);
}

StaticCpuPolicy MakePolicy(const CpuManagerConfig& config, const Machine& machine = SmtMachine()) {
  std::string error;
  auto policy = StaticCpuPolicy::Create(machine, testing::IdsOf(machine), config, &error);
  EXPECT_TRUE(policy) << error;
  return *policy;
}

CpuManagerConfig ReserveCpu0() {
  CpuManagerConfig config;
  config.reserved_system_cpus = "0";
  return config;
}

std::string CreateError(const CpuManagerConfig& config) {
  const Machine machine = SmtMachine();
  std::string error;
  EXPECT_FALSE(StaticCpuPolicy::Create(machine, testing::IdsOf(machine), config, &error));
  return error;
}

TEST(CpuStaticPolicy, AllocatesAlignedToTheHintAndReleases) {
  StaticCpuPolicy policy = MakePolicy(ReserveCpu0());
  EXPECT_EQ(policy.Reserved(), CpuSet::Of({0}));
  EXPECT_EQ(policy.DefaultSet(), CpuSet::Range(0, 15));
  EXPECT_FALSE(policy.Allocate("pod", "app", ContainerKind::kApp, 2, NumaMask::Of({1})));
  EXPECT_EQ(policy.Assigned("pod", "app"), CpuSet::Of({4, 12}));
  EXPECT_EQ(policy.DefaultSet(), CpuSet::Range(0, 15).Difference(CpuSet::Of({4, 12})));
  // Shared-pool containers get nothing.
  EXPECT_FALSE(policy.Allocate("pod", "shared", ContainerKind::kApp, 0, std::nullopt));
  EXPECT_TRUE(policy.Assigned("pod", "shared").empty());
  policy.RemoveContainer("pod", "app");
  EXPECT_EQ(policy.DefaultSet(), CpuSet::Range(0, 15));
}

TEST(CpuStaticPolicy, TakesTheRestAnywhereWhenTheHintIsTooSmall) {
  StaticCpuPolicy policy = MakePolicy(ReserveCpu0());
  // Node 0 has 7 CPUs besides the reserved one; the 8th comes from node 1.
  EXPECT_FALSE(policy.Allocate("pod", "app", ContainerKind::kApp, 8, NumaMask::Of({0})));
  EXPECT_EQ(policy.Assigned("pod", "app"), CpuSet::Of({1, 2, 3, 4, 8, 9, 10, 11}));
}

TEST(CpuStaticPolicy, NotEnoughCpusIsAnUnexpectedAdmissionError) {
  StaticCpuPolicy policy = MakePolicy(ReserveCpu0());
  const auto error = policy.Allocate("pod", "app", ContainerKind::kApp, 16, std::nullopt);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->reason, "UnexpectedAdmissionError");
  EXPECT_EQ(error->message,
            "Allocate failed due to not enough cpus available to satisfy request: requested=16, "
            "available=15, which is unexpected");
}

TEST(CpuStaticPolicy, FullPcpusOnlyRefusesPartialCores) {
  CpuManagerConfig config = ReserveCpu0();
  config.options["full-pcpus-only"] = "true";
  StaticCpuPolicy policy = MakePolicy(config);
  const auto odd = policy.Allocate("pod", "app", ContainerKind::kApp, 3, std::nullopt);
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->reason, "SMTAlignmentError");
  EXPECT_EQ(odd->message, "SMT Alignment Error: requested 3 cpus not multiple cpus per core = 2");
  // CPU 0 is reserved, so its sibling 8 is not a whole free core either: 14 physical CPUs left.
  const auto big = policy.Allocate("pod", "app", ContainerKind::kApp, 16, std::nullopt);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->message,
            "SMT Alignment Error: not enough free physical CPUs: available physical CPUs = 14, "
            "requested CPUs = 16, CPUs per core = 2");
  EXPECT_FALSE(policy.Allocate("pod", "app", ContainerKind::kApp, 2, std::nullopt));
  EXPECT_EQ(policy.Assigned("pod", "app"), CpuSet::Of({1, 9}));
}

TEST(CpuStaticPolicy, InitContainerCpusAreReusedByTheNextContainers) {
  StaticCpuPolicy policy = MakePolicy(ReserveCpu0());
  ASSERT_FALSE(policy.Allocate("pod", "init", ContainerKind::kInit, 2, std::nullopt));
  const CpuSet init_cpus = policy.Assigned("pod", "init");
  EXPECT_EQ(init_cpus, CpuSet::Of({1, 9}));
  // The app container's hints may count the init container's CPUs.
  ASSERT_FALSE(policy.Allocate("pod", "app", ContainerKind::kApp, 2, std::nullopt));
  EXPECT_EQ(policy.Assigned("pod", "app"), init_cpus);
  // Once the app container took them they are no longer reusable.
  ASSERT_FALSE(policy.Allocate("pod", "app2", ContainerKind::kApp, 2, std::nullopt));
  EXPECT_FALSE(policy.Assigned("pod", "app2").Intersects(init_cpus));
  // Removing the init container keeps CPUs the app container still holds out of the pool.
  policy.RemoveContainer("pod", "init");
  EXPECT_FALSE(policy.DefaultSet().Intersects(init_cpus));
  policy.RemovePod("pod");
  EXPECT_EQ(policy.DefaultSet(), CpuSet::Range(0, 15));
}

TEST(CpuStaticPolicy, SidecarCpusAreNotReused) {
  StaticCpuPolicy policy = MakePolicy(ReserveCpu0());
  ASSERT_FALSE(policy.Allocate("pod", "sidecar", ContainerKind::kRestartableInit, 2, std::nullopt));
  ASSERT_FALSE(policy.Allocate("pod", "app", ContainerKind::kApp, 2, std::nullopt));
  EXPECT_FALSE(policy.Assigned("pod", "app").Intersects(policy.Assigned("pod", "sidecar")));
}

TEST(CpuStaticPolicy, ReusableCpusShapeTheNextContainersHints) {
  StaticCpuPolicy policy = MakePolicy(ReserveCpu0());
  ASSERT_FALSE(policy.Allocate("pod", "init", ContainerKind::kInit, 1, NumaMask::Of({1})));
  const ProviderHints hints = policy.ContainerHints("pod", "app", 2);
  const std::vector<TopologyHint> expected = {{NumaMask::Of({1}), true},
                                              {NumaMask::Of({0, 1}), false}};
  EXPECT_EQ(hints.by_resource.at("cpu"), expected);
  // Another pod does not see them.
  EXPECT_EQ(policy.ContainerHints("other", "app", 2).by_resource.at("cpu")->size(), 3u);
}

TEST(CpuStaticPolicy, HintsForSharedPoolAndExistingAssignments) {
  StaticCpuPolicy policy = MakePolicy(ReserveCpu0());
  EXPECT_TRUE(policy.ContainerHints("pod", "app", 0).by_resource.empty());
  ASSERT_FALSE(policy.Allocate("pod", "app", ContainerKind::kApp, 2, NumaMask::Of({1})));
  // Regenerated from what the container holds...
  const std::vector<TopologyHint> regenerated = {{NumaMask::Of({1}), true},
                                                 {NumaMask::Of({0, 1}), false}};
  EXPECT_EQ(policy.ContainerHints("pod", "app", 2).by_resource.at("cpu"), regenerated);
  // ...or refused when the request changed.
  EXPECT_EQ(policy.ContainerHints("pod", "app", 4).by_resource.at("cpu"),
            std::vector<TopologyHint>{});
  const std::vector<ContainerCpuRequest> containers = {{"app", ContainerKind::kApp, 4}};
  EXPECT_EQ(policy.PodHints("pod", containers, 4).by_resource.at("cpu"),
            std::vector<TopologyHint>{});
  EXPECT_EQ(policy.PodHints("pod", std::vector<std::string>{"app"}, 2).by_resource.at("cpu"),
            regenerated);
}

TEST(CpuStaticPolicy, PodExclusiveCpusFollowsSidecarRules) {
  using K = ContainerKind;
  EXPECT_EQ(PodExclusiveCpus({{"i", K::kInit, 6}, {"a", K::kApp, 2}, {"b", K::kApp, 2}}), 6);
  EXPECT_EQ(
      PodExclusiveCpus({{"s", K::kRestartableInit, 2}, {"i", K::kInit, 3}, {"a", K::kApp, 1}}), 5);
  EXPECT_EQ(PodExclusiveCpus({{"s", K::kRestartableInit, 2}, {"a", K::kApp, 4}}), 6);
}

TEST(CpuStaticPolicy, CopiesAreIndependent) {
  StaticCpuPolicy original = MakePolicy(ReserveCpu0());
  StaticCpuPolicy copy = original;
  ASSERT_FALSE(copy.Allocate("pod", "app", ContainerKind::kApp, 2, std::nullopt));
  EXPECT_TRUE(original.Assigned("pod", "app").empty());
  EXPECT_EQ(original.DefaultSet(), CpuSet::Range(0, 15));
}

TEST(CpuStaticPolicy, StrictReservationKeepsReservedCpusOutOfTheSharedPool) {
  CpuManagerConfig config = ReserveCpu0();
  config.options["strict-cpu-reservation"] = "true";
  config.feature_gates["CPUManagerPolicyAlphaOptions"] = true;
  EXPECT_EQ(MakePolicy(config).DefaultSet(), CpuSet::Range(1, 15));
}

TEST(CpuStaticPolicy, ValidatesOptionsWithTheKubeletsMessages) {
  CpuManagerConfig config = ReserveCpu0();
  config.options = {{"bogus", "true"}};
  EXPECT_EQ(CreateError(config), "unknown CPU Manager Policy option: \"bogus\"");
  config.options = {{"distribute-cpus-across-numa", "true"}};
  EXPECT_EQ(CreateError(config),
            "CPU Manager Policy Alpha-level Options not enabled, but option "
            "\"distribute-cpus-across-numa\" provided");
  config.feature_gates["CPUManagerPolicyAlphaOptions"] = true;
  config.options = {{"full-pcpus-only", "yes"}};
  EXPECT_EQ(CreateError(config),
            "bad value for option \"full-pcpus-only\": strconv.ParseBool: parsing \"yes\": "
            "invalid syntax");
  config.options = {{"full-pcpus-only", "true"}, {"distribute-cpus-across-cores", "true"}};
  EXPECT_EQ(CreateError(config),
            "static policy options full-pcpus-only and distribute-cpus-across-cores can not be "
            "used at the same time");
  config.options = {{"align-by-socket", "true"}};
  config.topology_manager_policy = "single-numa-node";
  EXPECT_EQ(CreateError(config),
            "Topolgy manager single-numa-node policy is incompatible with CPUManager "
            "align-by-socket policy option");
  config.topology_manager_policy = "restricted";
  config.options = {{"prefer-align-cpus-by-uncorecache", "true"}};
  EXPECT_NE(CreateError(config).find("not supported"), std::string::npos);
  config.options = {{"full-pcpus-only", "true"}};
  config.feature_gates["CPUManagerPolicyBetaOptions"] = false;
  EXPECT_EQ(CreateError(config),
            "CPU Manager Policy Beta-level Options not enabled, but option \"full-pcpus-only\" "
            "provided");
}

TEST(CpuStaticPolicy, RestoresValidatedCheckpoints) {
  StaticCpuPolicy policy = MakePolicy(ReserveCpu0());
  ASSERT_FALSE(policy.Allocate("pod", "app", ContainerKind::kApp, 2, std::nullopt));
  const CpuManagerState saved = policy.State();

  StaticCpuPolicy restored = MakePolicy(ReserveCpu0());
  EXPECT_FALSE(restored.RestoreState(saved));
  EXPECT_EQ(restored.State(), saved);

  CpuManagerState overlapping = saved;
  overlapping.assignments["pod"]["app"].Add(5);
  EXPECT_TRUE(restored.RestoreState(overlapping));
  CpuManagerState foreign = saved;
  foreign.assignments["pod"]["app"].Add(99);
  EXPECT_TRUE(restored.RestoreState(foreign));
  CpuManagerState reserved_assigned{CpuSet::Range(3, 15),
                                    {{"pod", {{"app", CpuSet::Range(0, 2)}}}}};
  EXPECT_TRUE(restored.RestoreState(reserved_assigned));
  CpuManagerState lost_cpu{CpuSet::Range(0, 14), {}};
  EXPECT_EQ(*restored.RestoreState(lost_cpu),
            "current set of available CPUs \"0-15\" doesn't match with CPUs in state \"0-14\"");
  // A failed restore leaves the policy as it was.
  EXPECT_EQ(restored.State(), saved);
  // Empty state = fresh start.
  EXPECT_FALSE(restored.RestoreState({}));
  EXPECT_EQ(restored.DefaultSet(), CpuSet::Range(0, 15));
}

}  // namespace
}  // namespace numalign::numa
