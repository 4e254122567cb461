// Random admissions and removals on assorted machines: whatever the options and hints, the policy
// must never crash, never hand out a CPU twice across pods, and keep every CPU accounted for.
#include <gtest/gtest.h>

#include <random>

#include "numa/cpumanager/static_policy.h"
#include "numa/cpumanager/test_machines.h"

namespace numalign::numa {
namespace {

struct Shape {
  int sockets, numas_per_socket, cores_per_numa, threads;
};

TEST(CpuStaticPolicyInvariants, RandomAdmissionsKeepTheBooksBalanced) {
  const std::vector<Shape> shapes = {{1, 1, 4, 1},  {2, 1, 4, 2}, {2, 2, 6, 2},
                                     {1, 4, 17, 4}, {4, 2, 3, 2}, {8, 1, 2, 1}};
  const std::vector<std::map<std::string, std::string>> option_sets = {
      {},
      {{"full-pcpus-only", "true"}},
      {{"distribute-cpus-across-numa", "true"}},
      {{"distribute-cpus-across-numa", "true"}, {"full-pcpus-only", "true"}},
      {{"distribute-cpus-across-cores", "true"}},
      {{"strict-cpu-reservation", "true"}},
      {{"align-by-socket", "true"}}};
  std::mt19937 random(12345);
  for (const Shape& shape : shapes) {
    const Machine machine = testing::SmtMachine(shape.sockets, shape.numas_per_socket,
                                                shape.cores_per_numa, shape.threads);
    const NumaIdMap ids = testing::IdsOf(machine);
    const int cpus = static_cast<int>(machine.cpus.size());
    for (const auto& options : option_sets) {
      CpuManagerConfig config;
      config.reserved_millicpus = 1500;
      config.options = options;
      config.feature_gates["CPUManagerPolicyAlphaOptions"] = true;
      config.topology_manager_policy = "best-effort";
      std::string error;
      auto created = StaticCpuPolicy::Create(machine, ids, config, &error);
      ASSERT_TRUE(created) << error;
      StaticCpuPolicy policy = *created;
      const bool strict = options.count("strict-cpu-reservation") > 0;
      std::vector<std::string> live;
      for (int step = 0; step < 200; ++step) {
        if (!live.empty() && random() % 3 == 0) {
          const std::size_t victim = random() % live.size();
          policy.RemovePod(live[victim]);
          live.erase(live.begin() + static_cast<std::ptrdiff_t>(victim));
        } else {
          const std::string uid = "pod" + std::to_string(step);
          const int request = static_cast<int>(random() % (cpus / 2 + 2));
          std::optional<NumaMask> hint;
          if (random() % 2 == 0) hint = NumaMask(random() % (std::uint64_t{1} << ids.Ids().size()));
          (void)policy.ContainerHints(uid, "init", request);
          const auto init_error = policy.Allocate(uid, "init", ContainerKind::kInit, request, hint);
          const auto app_error =
              policy.Allocate(uid, "app", ContainerKind::kApp, request / 2 + 1, hint);
          if (!init_error) {
            EXPECT_EQ(policy.Assigned(uid, "init").size(), std::size_t(request));
          }
          if (!app_error) {
            EXPECT_EQ(policy.Assigned(uid, "app").size(), std::size_t(request / 2 + 1));
          }
          live.push_back(uid);
        }
        CpuSet assigned;
        for (const auto& [pod, containers] : policy.Assignments()) {
          CpuSet pod_cpus;
          for (const auto& [name, set] : containers) pod_cpus = pod_cpus.Union(set);
          ASSERT_FALSE(pod_cpus.Intersects(assigned)) << "CPU handed to two pods";
          ASSERT_FALSE(pod_cpus.Intersects(policy.Reserved()));
          assigned = assigned.Union(pod_cpus);
        }
        ASSERT_FALSE(assigned.Intersects(policy.DefaultSet()));
        const CpuSet expected =
            strict ? policy.AllCpus().Difference(policy.Reserved()) : policy.AllCpus();
        ASSERT_EQ(assigned.Union(policy.DefaultSet()), expected);
        const auto restore_error = StaticCpuPolicy(policy).RestoreState(policy.State());
        ASSERT_FALSE(restore_error) << *restore_error;
      }
    }
  }
}

}  // namespace
}  // namespace numalign::numa
