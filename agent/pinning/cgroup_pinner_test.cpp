#include "agent/pinning/cgroup_pinner.h"

#include <gtest/gtest.h>

#include "agent/allocation/allocation_engine.h"
#include "agent/allocation/test_node.h"
#include "agent/cgroup/fs_cpuset_writer.h"
#include "agent/cgroup/in_memory_filesystem.h"
#include "agent/pinning/pod_pinning_plan.h"
#include "numa/topology/cpu_list.h"

namespace numalign::agent {
namespace {

using namespace numalign::agent::testing;  // NOLINT: test helpers

const std::string kId(64, 'a');

class CgroupPinnerTest : public ::testing::Test {
 protected:
  void AddCgroup(const std::string& cgroup) {
    fs_.AddFile(cgroup::JoinPath(cgroup, "cpuset.cpus"), "\n");
    fs_.AddFile(cgroup::JoinPath(cgroup, "cpuset.mems"), "\n");
  }
  std::string Read(const std::string& cgroup, const char* file) {
    auto text = fs_.ReadFile(cgroup::JoinPath(cgroup, file)).value();
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }

  FakeCheckpointStore store_;
  AllocationEngine engine_{MakeAdmitter(), {kNode}, store_};
  cgroup::InMemoryFilesystem fs_;
  cgroup::FsCpusetWriter writer_{fs_, cgroup::CgroupVersion::kV2};
  FsCgroupPinner pinner_{fs_, writer_, cgroup::CgroupVersion::kV2};
  cgroup::CgroupLayout layout_{cgroup::CgroupVersion::kV2, cgroup::CgroupDriver::kSystemd};
};

TEST_F(CgroupPinnerTest, PlanPinsExclusiveCpusAndMemoryNodesAndReadsThemBack) {
  PodObservation pod = MakePod("a", "2", "1Gi", 1);
  pod.container_ids["app"] = "containerd://" + kId;
  ASSERT_EQ(engine_.Place(pod).kind, PlacementOutcome::Kind::kAdmitted);
  const auto uid = cgroup::PodUid::Parse(pod.spec.uid).value();
  const std::string pod_path = layout_.PodPath(cgroup::QosClass::kGuaranteed, uid);
  const std::string container = layout_.ContainerPath(
      cgroup::QosClass::kGuaranteed, uid,
      cgroup::ContainerRef::Create(cgroup::ContainerRuntime::kContainerd, kId).value());

  PodPinningPlan plan = PlanPodPinning(engine_, pod, kNode);
  EXPECT_FALSE(plan.uses_shared_pool);
  auto pinning = ToCgroupPinning(plan, pod, nullptr);
  ASSERT_TRUE(pinning.ok());
  PinAttempt missing = pinner_.Pin(pinning.value());
  EXPECT_FALSE(missing.ok);
  EXPECT_TRUE(missing.pod_cgroup_missing);  // not an error: retried

  AddCgroup(pod_path);
  PinAttempt pod_only = pinner_.Pin(pinning.value());
  ASSERT_TRUE(pod_only.ok) << pod_only.error;
  EXPECT_EQ(pod_only.pending.size(), 1U);  // the container's cgroup is not there yet
  EXPECT_EQ(Read(pod_path, "cpuset.mems"), "0");

  AddCgroup(container);
  ASSERT_TRUE(pinner_.Pin(pinning.value()).ok);
  const auto cpus = engine_.ExclusiveCpus(pod.spec.uid, "app");
  EXPECT_EQ(Read(container, "cpuset.cpus"), numa::FormatCpuList(cpus));
  EXPECT_EQ(Read(container, "cpuset.mems"), "0");

  ASSERT_TRUE(fs_.WriteFile(cgroup::JoinPath(container, "cpuset.cpus"), "0-7").ok());
  EXPECT_EQ(pinner_.Reconcile(pinning.value()).repaired, 1);
  EXPECT_EQ(Read(container, "cpuset.cpus"), numa::FormatCpuList(cpus));

  auto read = pinner_.ReadPinned(pod, kNode);
  ASSERT_TRUE(read);
  ASSERT_NE(read->Find("app"), nullptr);
  EXPECT_EQ(read->Find("app")->sets.cpus, cpus);
  EXPECT_TRUE(read->Find("app")->exclusive);
}

TEST_F(CgroupPinnerTest, SharedPoolContainersAndBadIds) {
  PodObservation pod = MakePod("s", "500m", "100Mi", 2);
  pod.container_ids["app"] = "containerd://../../etc";
  ASSERT_EQ(engine_.Place(pod).kind, PlacementOutcome::Kind::kAdmitted);
  PodPinningPlan plan = PlanPodPinning(engine_, pod, kNode);
  EXPECT_TRUE(plan.uses_shared_pool);
  EXPECT_EQ(plan.record.containers[0].sets.cpus, engine_.SharedPool());
  EXPECT_FALSE(plan.record.containers[0].exclusive);
  std::vector<std::string> skipped;
  auto pinning = ToCgroupPinning(plan, pod, &skipped);
  ASSERT_TRUE(pinning.ok());
  EXPECT_TRUE(pinning->containers.empty());
  ASSERT_EQ(skipped.size(), 1U);
  PodObservation bad_uid = pod;
  plan.uid = "../evil";
  EXPECT_FALSE(ToCgroupPinning(plan, bad_uid, nullptr).ok());
}

}  // namespace
}  // namespace numalign::agent
