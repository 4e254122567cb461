#include "agent/cgroup/cgroup_driver.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "agent/cgroup/in_memory_filesystem.h"

namespace numalign::agent::cgroup {
namespace {

const std::string kUid = "1234abcd-5678-90ef-abcd-1234567890ab";
const std::string kUidEscaped = "1234abcd_5678_90ef_abcd_1234567890ab";
const std::string kId = "4c1b4e1b1e7f3c7a9b2f5d2e8a1c3b4d5e6f708192a3b4c5d6e7f8091a2b3c4d";

PodUid Uid() {
  return PodUid::Parse(kUid).value();
}
ContainerRef Container(ContainerRuntime runtime) {
  return ContainerRef::Create(runtime, kId).value();
}

// Pod cgroups as sysfs-numa.md section 5.4 writes them, below the hierarchy root.
const std::map<std::pair<CgroupDriver, QosClass>, std::string> kPodPaths = {
    {{CgroupDriver::kSystemd, QosClass::kGuaranteed},
     "kubepods.slice/kubepods-pod" + kUidEscaped + ".slice"},
    {{CgroupDriver::kSystemd, QosClass::kBurstable},
     "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + kUidEscaped + ".slice"},
    {{CgroupDriver::kSystemd, QosClass::kBestEffort},
     "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + kUidEscaped + ".slice"},
    {{CgroupDriver::kCgroupfs, QosClass::kGuaranteed}, "kubepods/pod" + kUid},
    {{CgroupDriver::kCgroupfs, QosClass::kBurstable}, "kubepods/burstable/pod" + kUid},
    {{CgroupDriver::kCgroupfs, QosClass::kBestEffort}, "kubepods/besteffort/pod" + kUid},
};

// Container directory names by driver and runtime.
const std::map<std::pair<CgroupDriver, ContainerRuntime>, std::string> kLeaves = {
    {{CgroupDriver::kSystemd, ContainerRuntime::kContainerd}, "cri-containerd-" + kId + ".scope"},
    {{CgroupDriver::kSystemd, ContainerRuntime::kCrio}, "crio-" + kId + ".scope"},
    {{CgroupDriver::kSystemd, ContainerRuntime::kDocker}, "docker-" + kId + ".scope"},
    {{CgroupDriver::kCgroupfs, ContainerRuntime::kContainerd}, kId},
    {{CgroupDriver::kCgroupfs, ContainerRuntime::kCrio}, "crio-" + kId},
    {{CgroupDriver::kCgroupfs, ContainerRuntime::kDocker}, kId},
};

class PathRuleTest : public testing::TestWithParam<
                         std::tuple<CgroupVersion, CgroupDriver, QosClass, ContainerRuntime>> {};

TEST_P(PathRuleTest, MatchesTheKubeletAndRuntimeNames) {
  const auto [version, driver, qos, runtime] = GetParam();
  const CgroupLayout layout(version, driver);
  const std::string prefix = version == CgroupVersion::kV1 ? "cpuset/" : "";
  const std::string pod = prefix + kPodPaths.at({driver, qos});
  EXPECT_EQ(layout.PodPath(qos, Uid()), pod);
  EXPECT_EQ(layout.ContainerPath(qos, Uid(), Container(runtime)),
            pod + "/" + kLeaves.at({driver, runtime}));
}

std::string LayoutName(const testing::TestParamInfo<
                       std::tuple<CgroupVersion, CgroupDriver, QosClass, ContainerRuntime>>& info) {
  const auto [version, driver, qos, runtime] = info.param;
  std::string name = std::string(ToString(version)) + "_" + std::string(ToString(driver)) + "_" +
                     std::string(ToString(qos)) + "_" + std::string(ToString(runtime));
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(
    AllLayouts, PathRuleTest,
    testing::Combine(testing::Values(CgroupVersion::kV1, CgroupVersion::kV2),
                     testing::Values(CgroupDriver::kSystemd, CgroupDriver::kCgroupfs),
                     testing::Values(QosClass::kGuaranteed, QosClass::kBurstable,
                                     QosClass::kBestEffort),
                     testing::Values(ContainerRuntime::kContainerd, ContainerRuntime::kCrio,
                                     ContainerRuntime::kDocker)),
    LayoutName);

// The doc's full example lines, spelled out once without the tables above.
TEST(CgroupLayoutTest, DocExamplesVerbatim) {
  EXPECT_EQ(
      CgroupLayout(CgroupVersion::kV2, CgroupDriver::kSystemd)
          .ContainerPath(QosClass::kBurstable, Uid(), Container(ContainerRuntime::kContainerd)),
      "kubepods.slice/kubepods-burstable.slice/"
      "kubepods-burstable-pod1234abcd_5678_90ef_abcd_1234567890ab.slice/"
      "cri-containerd-4c1b4e1b1e7f3c7a9b2f5d2e8a1c3b4d5e6f708192a3b4c5d6e7f8091a2b3c4d.scope");
  EXPECT_EQ(
      CgroupLayout(CgroupVersion::kV1, CgroupDriver::kCgroupfs)
          .ContainerPath(QosClass::kBurstable, Uid(), Container(ContainerRuntime::kContainerd)),
      "cpuset/kubepods/burstable/pod1234abcd-5678-90ef-abcd-1234567890ab/"
      "4c1b4e1b1e7f3c7a9b2f5d2e8a1c3b4d5e6f708192a3b4c5d6e7f8091a2b3c4d");
  EXPECT_EQ(CgroupLayout(CgroupVersion::kV2, CgroupDriver::kCgroupfs)
                .ContainerPath(QosClass::kBestEffort, Uid(), Container(ContainerRuntime::kCrio)),
            "kubepods/besteffort/pod1234abcd-5678-90ef-abcd-1234567890ab/"
            "crio-4c1b4e1b1e7f3c7a9b2f5d2e8a1c3b4d5e6f708192a3b4c5d6e7f8091a2b3c4d");
}

TEST(CgroupLayoutTest, QosCgroups) {
  const CgroupLayout systemd(CgroupVersion::kV2, CgroupDriver::kSystemd);
  EXPECT_EQ(systemd.QosPath(QosClass::kGuaranteed), "kubepods.slice");
  EXPECT_EQ(systemd.QosPath(QosClass::kBestEffort), "kubepods.slice/kubepods-besteffort.slice");
  const CgroupLayout cgroupfs(CgroupVersion::kV1, CgroupDriver::kCgroupfs);
  EXPECT_EQ(cgroupfs.QosPath(QosClass::kGuaranteed), "cpuset/kubepods");
  EXPECT_EQ(cgroupfs.QosPath(QosClass::kBurstable), "cpuset/kubepods/burstable");
}

TEST(CgroupLayoutTest, StaticPodUidIsUsedAsIs) {
  const PodUid uid = PodUid::Parse("5b1c0e8f2d3a4b6c7d8e9f0a1b2c3d4e").value();
  EXPECT_EQ(
      CgroupLayout(CgroupVersion::kV2, CgroupDriver::kSystemd).PodPath(QosClass::kGuaranteed, uid),
      "kubepods.slice/kubepods-pod5b1c0e8f2d3a4b6c7d8e9f0a1b2c3d4e.slice");
}

TEST(DetectCgroupVersionTest, V2WhenRootHasCgroupControllers) {
  InMemoryFilesystem fs;
  fs.AddFile("cgroup.controllers", "cpuset cpu io memory hugetlb pids\n");
  fs.AddDirectory("kubepods.slice");
  EXPECT_EQ(DetectCgroupVersion(fs).value(), CgroupVersion::kV2);
}

TEST(DetectCgroupVersionTest, V1WhenRootHasCpusetController) {
  InMemoryFilesystem fs;
  fs.AddFile("cpuset/cpuset.cpus", "0-7\n");
  fs.AddDirectory("memory");
  EXPECT_EQ(DetectCgroupVersion(fs).value(), CgroupVersion::kV1);
}

TEST(DetectCgroupVersionTest, HybridIsV1ForCpusets) {
  InMemoryFilesystem fs;
  fs.AddFile("cpuset/cpuset.cpus", "0-7\n");
  fs.AddFile("unified/cgroup.controllers", "\n");
  EXPECT_EQ(DetectCgroupVersion(fs).value(), CgroupVersion::kV1);
}

TEST(DetectCgroupVersionTest, NeitherIsAClearError) {
  InMemoryFilesystem fs;
  fs.AddDirectory("something");
  auto version = DetectCgroupVersion(fs);
  ASSERT_FALSE(version.ok());
  EXPECT_NE(version.error().message.find("--cgroup-root"), std::string::npos);
}

TEST(CpusetFilesTest, EffectiveNamesDifferByVersion) {
  EXPECT_EQ(CpusetFilesFor(CgroupVersion::kV2).effective_mems, "cpuset.mems.effective");
  EXPECT_EQ(CpusetFilesFor(CgroupVersion::kV1).effective_mems, "cpuset.effective_mems");
  EXPECT_EQ(CpusetFilesFor(CgroupVersion::kV1).cpus, "cpuset.cpus");
}

}  // namespace
}  // namespace numalign::agent::cgroup
