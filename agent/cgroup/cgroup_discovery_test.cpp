#include "agent/cgroup/cgroup_discovery.h"

#include <gtest/gtest.h>

#include "agent/cgroup/in_memory_filesystem.h"

namespace numalign::agent::cgroup {
namespace {

const std::string kUid = "1234abcd-5678-90ef-abcd-1234567890ab";
const std::string kId = "4c1b4e1b1e7f3c7a9b2f5d2e8a1c3b4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const std::string kOtherId = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

PodUid Uid() {
  return PodUid::Parse(kUid).value();
}

TEST(DiscoverPodCgroupTest, FindsEachLayoutWithoutBeingToldTheDriverOrQos) {
  for (CgroupVersion version : {CgroupVersion::kV1, CgroupVersion::kV2}) {
    for (CgroupDriver driver : {CgroupDriver::kSystemd, CgroupDriver::kCgroupfs}) {
      for (QosClass qos : {QosClass::kGuaranteed, QosClass::kBurstable, QosClass::kBestEffort}) {
        const CgroupLayout layout(version, driver);
        InMemoryFilesystem fs;
        fs.AddFile(JoinPath(layout.PodPath(qos, Uid()), "cpuset.cpus"), "0-3\n");
        auto pod = DiscoverPodCgroup(fs, version, Uid());
        ASSERT_TRUE(pod.ok()) << pod.error().ToString();
        EXPECT_EQ(pod->layout, layout);
        EXPECT_EQ(pod->qos, qos);
        EXPECT_EQ(pod->path, layout.PodPath(qos, Uid()));
      }
    }
  }
}

TEST(DiscoverPodCgroupTest, NotFoundListsWhatWasProbed) {
  InMemoryFilesystem fs;
  fs.AddDirectory("kubepods.slice");
  auto pod = DiscoverPodCgroup(fs, CgroupVersion::kV2, Uid(), QosClass::kBurstable);
  ASSERT_FALSE(pod.ok());
  EXPECT_EQ(pod.error().code, ErrorCode::kNotFound);
  EXPECT_NE(pod.error().message.find("kubepods/burstable/pod" + kUid), std::string::npos);
}

TEST(DiscoverPodCgroupTest, QosHintRestrictsTheProbe) {
  InMemoryFilesystem fs;
  const CgroupLayout layout(CgroupVersion::kV2, CgroupDriver::kSystemd);
  fs.AddDirectory(layout.PodPath(QosClass::kBestEffort, Uid()));
  EXPECT_FALSE(DiscoverPodCgroup(fs, CgroupVersion::kV2, Uid(), QosClass::kBurstable).ok());
  EXPECT_TRUE(DiscoverPodCgroup(fs, CgroupVersion::kV2, Uid(), QosClass::kBestEffort).ok());
}

TEST(DiscoverPodCgroupTest, TwoLayoutsAtOnceAreAmbiguous) {
  InMemoryFilesystem fs;
  fs.AddDirectory(CgroupLayout(CgroupVersion::kV2, CgroupDriver::kSystemd)
                      .PodPath(QosClass::kBurstable, Uid()));
  fs.AddDirectory(CgroupLayout(CgroupVersion::kV2, CgroupDriver::kCgroupfs)
                      .PodPath(QosClass::kBurstable, Uid()));
  auto pod = DiscoverPodCgroup(fs, CgroupVersion::kV2, Uid());
  ASSERT_FALSE(pod.ok());
  EXPECT_EQ(pod.error().code, ErrorCode::kAmbiguous);
}

TEST(DiscoverContainerCgroupTest, FindsEveryRuntimeUnderEveryDriver) {
  for (CgroupDriver driver : {CgroupDriver::kSystemd, CgroupDriver::kCgroupfs}) {
    for (ContainerRuntime runtime :
         {ContainerRuntime::kContainerd, ContainerRuntime::kCrio, ContainerRuntime::kDocker}) {
      const CgroupLayout layout(CgroupVersion::kV2, driver);
      const ContainerRef ref = ContainerRef::Create(runtime, kId).value();
      InMemoryFilesystem fs;
      const std::string expected = layout.ContainerPath(QosClass::kGuaranteed, Uid(), ref);
      fs.AddFile(JoinPath(expected, "cpuset.cpus"), "\n");
      // The sandbox's own container sits beside it and must not be confused with it.
      fs.AddDirectory(layout.ContainerPath(QosClass::kGuaranteed, Uid(),
                                           ContainerRef::Create(runtime, kOtherId).value()));
      auto pod = DiscoverPodCgroup(fs, CgroupVersion::kV2, Uid());
      ASSERT_TRUE(pod.ok());
      auto container = DiscoverContainerCgroup(fs, *pod, kId);
      ASSERT_TRUE(container.ok()) << container.error().ToString();
      EXPECT_EQ(container->path, expected);
      EXPECT_EQ(container->id, kId);
      const bool name_tells_runtime =
          driver == CgroupDriver::kSystemd || runtime == ContainerRuntime::kCrio;
      if (name_tells_runtime) {
        EXPECT_EQ(container->runtime, runtime);
      } else {
        EXPECT_FALSE(container->runtime.has_value());
      }
    }
  }
}

TEST(DiscoverContainerCgroupTest, StatusIdRestrictsToItsRuntime) {
  const CgroupLayout layout(CgroupVersion::kV2, CgroupDriver::kSystemd);
  InMemoryFilesystem fs;
  fs.AddDirectory(layout.ContainerPath(QosClass::kBurstable, Uid(),
                                       ContainerRef::Create(ContainerRuntime::kCrio, kId).value()));
  PodCgroup pod{layout, QosClass::kBurstable, layout.PodPath(QosClass::kBurstable, Uid())};
  EXPECT_TRUE(DiscoverContainerCgroup(fs, pod, "cri-o://" + kId).ok());
  auto wrong = DiscoverContainerCgroup(fs, pod, "containerd://" + kId);
  // Not under containerd's name; the id-suffix fallback still finds CRI-O's scope.
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->path, JoinPath(pod.path, "crio-" + kId + ".scope"));
  EXPECT_FALSE(wrong->runtime.has_value());
}

TEST(DiscoverContainerCgroupTest, IgnoresCrioMonitorScope) {
  const CgroupLayout layout(CgroupVersion::kV2, CgroupDriver::kSystemd);
  InMemoryFilesystem fs;
  PodCgroup pod{layout, QosClass::kGuaranteed, layout.PodPath(QosClass::kGuaranteed, Uid())};
  fs.AddDirectory(JoinPath(pod.path, "crio-conmon-" + kId + ".scope"));
  auto container = DiscoverContainerCgroup(fs, pod, kId);
  ASSERT_FALSE(container.ok());
  EXPECT_EQ(container.error().code, ErrorCode::kNotFound);
  fs.AddDirectory(JoinPath(pod.path, "crio-" + kId + ".scope"));
  container = DiscoverContainerCgroup(fs, pod, kId);
  ASSERT_TRUE(container.ok());
  EXPECT_EQ(container->runtime, ContainerRuntime::kCrio);
}

TEST(DiscoverContainerCgroupTest, FallsBackToAnyEntryNamedAfterTheId) {
  const CgroupLayout layout(CgroupVersion::kV2, CgroupDriver::kSystemd);
  InMemoryFilesystem fs;
  PodCgroup pod{layout, QosClass::kGuaranteed, layout.PodPath(QosClass::kGuaranteed, Uid())};
  fs.AddDirectory(JoinPath(pod.path, "libpod-" + kId + ".scope"));  // a runtime we do not know
  auto container = DiscoverContainerCgroup(fs, pod, kId);
  ASSERT_TRUE(container.ok());
  EXPECT_EQ(container->path, JoinPath(pod.path, "libpod-" + kId + ".scope"));
}

TEST(DiscoverContainerCgroupTest, RefusesInvalidIds) {
  const CgroupLayout layout(CgroupVersion::kV2, CgroupDriver::kCgroupfs);
  InMemoryFilesystem fs;
  PodCgroup pod{layout, QosClass::kGuaranteed, layout.PodPath(QosClass::kGuaranteed, Uid())};
  fs.AddDirectory(pod.path);
  for (const std::string& bad : {std::string(".."), std::string("../../etc"), kId.substr(2),
                                 std::string("containerd://..")}) {
    auto container = DiscoverContainerCgroup(fs, pod, bad);
    ASSERT_FALSE(container.ok()) << bad;
    EXPECT_EQ(container.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace numalign::agent::cgroup
