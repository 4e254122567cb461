#include "agent/cgroup/pod_pinning.h"

#include <gtest/gtest.h>

#include "agent/cgroup/fs_cpuset_writer.h"
#include "agent/cgroup/in_memory_filesystem.h"

namespace numalign::agent::cgroup {
namespace {

using Write = InMemoryFilesystem::Write;

IdList L(const char* text) {
  return IdList::Parse(text).value();
}

const PodUid kUid = PodUid::Parse("1234abcd-5678-90ef-abcd-1234567890ab").value();
const std::string kApp(64, 'a');
const std::string kSidecar(64, 'b');

class PodPinningTest : public testing::Test {
 protected:
  void AddCgroup(const std::string& cgroup) {
    fs_.AddFile(JoinPath(cgroup, "cpuset.cpus"), "\n");
    fs_.AddFile(JoinPath(cgroup, "cpuset.mems"), "\n");
  }
  std::string Container(const std::string& id) {
    return layout_.ContainerPath(QosClass::kGuaranteed, kUid,
                                 ContainerRef::Create(ContainerRuntime::kContainerd, id).value());
  }
  std::string Cpus(const std::string& cgroup) {
    return fs_.ReadFile(JoinPath(cgroup, "cpuset.cpus")).value();
  }

  InMemoryFilesystem fs_;
  CgroupLayout layout_{CgroupVersion::kV2, CgroupDriver::kSystemd};
  std::string pod_ = layout_.PodPath(QosClass::kGuaranteed, kUid);
  FsCpusetWriter writer_{fs_, CgroupVersion::kV2};
  PodPinning pinning_{kUid,
                      std::nullopt,
                      {L("0-3"), L("0")},
                      {{"containerd://" + kApp, {L("0-1"), L("0")}},
                       {"containerd://" + kSidecar, {L("2-3"), L("0")}}}};
};

TEST_F(PodPinningTest, PodCgroupNotThereYetIsNotFound) {
  auto pinned = PinPod(fs_, writer_, CgroupVersion::kV2, pinning_);
  ASSERT_FALSE(pinned.ok());
  EXPECT_EQ(pinned.error().code, ErrorCode::kNotFound);
}

TEST_F(PodPinningTest, PinsThePodBeforeItsContainersExistThenEachContainer) {
  AddCgroup(pod_);
  auto pinned = PinPod(fs_, writer_, CgroupVersion::kV2, pinning_);
  ASSERT_TRUE(pinned.ok()) << pinned.error().ToString();
  EXPECT_EQ(pinned->pod.path, pod_);
  EXPECT_EQ(pinned->pending,
            (std::vector<std::string>{"containerd://" + kApp, "containerd://" + kSidecar}));
  EXPECT_EQ(Cpus(pod_), "0-3");

  AddCgroup(Container(kApp));
  pinned = PinPod(fs_, writer_, CgroupVersion::kV2, pinning_);
  ASSERT_TRUE(pinned.ok());
  EXPECT_EQ(pinned->pending, (std::vector<std::string>{"containerd://" + kSidecar}));
  EXPECT_EQ(Cpus(Container(kApp)), "0-1");

  AddCgroup(Container(kSidecar));
  fs_.ClearWrites();
  pinned = PinPod(fs_, writer_, CgroupVersion::kV2, pinning_);
  ASSERT_TRUE(pinned.ok());
  EXPECT_TRUE(pinned->pending.empty());
  EXPECT_EQ(fs_.writes(),
            (std::vector<Write>{{JoinPath(Container(kSidecar), "cpuset.mems"), "0"},
                                {JoinPath(Container(kSidecar), "cpuset.cpus"), "2-3"}}));
}

TEST_F(PodPinningTest, ReconcileRestoresAnOverwrittenContainer) {
  AddCgroup(pod_);
  AddCgroup(Container(kApp));
  AddCgroup(Container(kSidecar));
  ASSERT_TRUE(PinPod(fs_, writer_, CgroupVersion::kV2, pinning_).ok());
  ASSERT_TRUE(fs_.WriteFile(JoinPath(Container(kApp), "cpuset.cpus"), "0-15").ok());
  fs_.ClearWrites();
  auto drifts = ReconcilePod(fs_, writer_, CgroupVersion::kV2, pinning_);
  ASSERT_TRUE(drifts.ok());
  ASSERT_EQ(drifts->size(), 1u);
  EXPECT_EQ(fs_.writes(), (std::vector<Write>{{JoinPath(Container(kApp), "cpuset.cpus"), "0-1"}}));
}

TEST_F(PodPinningTest, ContainerOutsideThePodIsRefused) {
  AddCgroup(pod_);
  pinning_.containers[1].cpuset.cpus = L("4-5");
  auto pinned = PinPod(fs_, writer_, CgroupVersion::kV2, pinning_);
  ASSERT_FALSE(pinned.ok());
  EXPECT_EQ(pinned.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(fs_.writes().empty());
}

TEST_F(PodPinningTest, InvalidContainerIdIsAnErrorNotPending) {
  AddCgroup(pod_);
  pinning_.containers[0].id = "containerd://../../../etc";
  auto pinned = PinPod(fs_, writer_, CgroupVersion::kV2, pinning_);
  ASSERT_FALSE(pinned.ok());
  EXPECT_EQ(pinned.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(fs_.writes().empty());
}

}  // namespace
}  // namespace numalign::agent::cgroup
