// The agent's pinning path end to end on real files, for every cgroup version × driver × runtime
// the kubelet and CRI runtimes produce: a PodController (engine, FsCgroupPinner, FsCpusetWriter,
// RootedFilesystem) pins a Guaranteed pod and a Burstable shared-pool pod in a temporary tree laid
// out with literal paths (sysfs-numa.md section 5.4), then repairs drift and releases.

#include <gtest/gtest.h>

#include <string>

#include "agent/allocation/test_node.h"
#include "agent/cgroup/fs_cpuset_writer.h"
#include "agent/cgroup/rooted_filesystem.h"
#include "agent/pinning/cgroup_pinner.h"
#include "agent/pods/pod_controller.h"
#include "agent/pods/pod_test_doubles.h"
#include "numa/topology/cpu_list.h"
#include "tests/support/temp_dir.h"

namespace numalign::agent {
namespace {

using test_support::TempDir;

using namespace numalign::agent::testing;  // NOLINT: test helpers

struct Variant {
  const char* name;
  bool v1;
  const char* prefix;  // "cpuset/" on v1
  // Pod cgroups for uid 00000000-0000-0000-0000-00000000000N: Guaranteed (N=1), Burstable (N=2).
  const char* guaranteed_pod;
  const char* burstable_pod;
  const char* status_prefix;  // the runtime in containerStatuses[].containerID
  const char* leaf_prefix;    // the container cgroup's name before the id
  const char* leaf_suffix;
  std::vector<const char*> parents;  // every cgroup above the pods, outermost first
};

const std::string kUid1 = "00000000-0000-0000-0000-000000000001";
const std::string kUid2 = "00000000-0000-0000-0000-000000000002";

std::vector<Variant> Variants() {
  const char* sd_g = "kubepods.slice/kubepods-pod00000000_0000_0000_0000_000000000001.slice";
  const char* sd_b =
      "kubepods.slice/kubepods-burstable.slice/"
      "kubepods-burstable-pod00000000_0000_0000_0000_000000000002.slice";
  const char* fs_g = "kubepods/pod00000000-0000-0000-0000-000000000001";
  const char* fs_b = "kubepods/burstable/pod00000000-0000-0000-0000-000000000002";
  const std::vector<const char*> sd_parents = {"kubepods.slice",
                                               "kubepods.slice/kubepods-burstable.slice"};
  const std::vector<const char*> fs_parents = {"kubepods", "kubepods/burstable"};
  return {
      {"v2_systemd_containerd", false, "", sd_g, sd_b, "containerd://", "cri-containerd-", ".scope",
       sd_parents},
      {"v2_systemd_crio", false, "", sd_g, sd_b, "cri-o://", "crio-", ".scope", sd_parents},
      {"v2_cgroupfs_containerd", false, "", fs_g, fs_b, "containerd://", "", "", fs_parents},
      {"v2_cgroupfs_docker", false, "", fs_g, fs_b, "docker://", "", "", fs_parents},
      {"v1_systemd_containerd", true, "cpuset/", sd_g, sd_b, "containerd://", "cri-containerd-",
       ".scope", sd_parents},
      {"v1_systemd_docker", true, "cpuset/", sd_g, sd_b, "docker://", "docker-", ".scope",
       sd_parents},
      {"v1_cgroupfs_containerd", true, "cpuset/", fs_g, fs_b, "containerd://", "", "", fs_parents},
      {"v1_cgroupfs_crio", true, "cpuset/", fs_g, fs_b, "cri-o://", "crio-", "", fs_parents},
  };
}

class PinningVariants : public ::testing::TestWithParam<Variant> {
 protected:
  // A cgroup with its cpuset files: empty (inherit) on v2; on v1 a child must start within its
  // parent, and the kubelet creates them holding the whole machine.
  void MakeCgroup(const std::string& relative) {
    const bool v1 = GetParam().v1;
    dir_.Write(GetParam().prefix + relative + "/cpuset.cpus", v1 ? "0-7\n" : "\n");
    dir_.Write(GetParam().prefix + relative + "/cpuset.mems", v1 ? "0-1\n" : "\n");
  }
  std::string Read(const std::string& relative, const char* file) {
    std::string text = dir_.Read(GetParam().prefix + relative + "/" + file);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }
  std::string Container(const std::string& pod, const std::string& id) {
    return pod + "/" + GetParam().leaf_prefix + id + GetParam().leaf_suffix;
  }

  TempDir dir_{"numalign-agent"};
};

TEST_P(PinningVariants, PinsExclusiveAndSharedPodsRepairsDriftAndReleases) {
  const Variant& v = GetParam();
  if (v.v1) {
    dir_.Write("cpuset/cpuset.cpus", "0-7\n");
    dir_.Write("cpuset/cpuset.mems", "0-1\n");
  } else {
    dir_.Write("cgroup.controllers", "cpuset cpu memory\n");
  }
  for (const char* parent : v.parents) MakeCgroup(parent);
  const std::string id1(64, 'a'), id2(64, 'b');
  MakeCgroup(v.guaranteed_pod);
  MakeCgroup(Container(v.guaranteed_pod, id1));
  MakeCgroup(v.burstable_pod);
  MakeCgroup(Container(v.burstable_pod, id2));

  auto fs = cgroup::RootedFilesystem::Open(dir_.path());
  ASSERT_TRUE(fs.ok());
  auto version = cgroup::DetectCgroupVersion(*fs.value());
  ASSERT_TRUE(version.ok()) << version.error().ToString();
  EXPECT_EQ(version.value(), v.v1 ? cgroup::CgroupVersion::kV1 : cgroup::CgroupVersion::kV2);
  cgroup::FsCpusetWriter writer(*fs.value(), version.value());
  FsCgroupPinner pinner(*fs.value(), writer, version.value());
  FakeCheckpointStore store;
  AllocationEngine engine(MakeAdmitter(), {kNode}, store);
  FakeApi api;
  NodeStateHub hub;
  AgentMetrics metrics;
  PodController controller(engine, pinner, api, hub, metrics, kNode);
  controller.Start({});

  PodObservation guaranteed = MakePod("g", "2", "1Gi", 1);
  guaranteed.container_ids["app"] = v.status_prefix + id1;
  PodObservation burstable = MakePod("b", "500m", "100Mi", 2);
  burstable.spec.containers[0].limits.clear();  // requests only: Burstable
  burstable.container_ids["app"] = v.status_prefix + id2;
  ASSERT_EQ(guaranteed.spec.uid, kUid1);
  ASSERT_EQ(burstable.spec.uid, kUid2);

  controller.OnPodUpsert(burstable);
  controller.OnPodUpsert(guaranteed);
  controller.RepinSharedPoolIfChanged();
  EXPECT_EQ(metrics.cgroup_write_errors_total, 0U);

  const std::vector<int> exclusive = engine.ExclusiveCpus(kUid1, "app");
  ASSERT_EQ(exclusive.size(), 2U);
  const std::string g_container = Container(v.guaranteed_pod, id1);
  EXPECT_EQ(Read(g_container, "cpuset.cpus"), numa::FormatCpuList(exclusive));
  EXPECT_EQ(Read(g_container, "cpuset.mems"), "0");
  EXPECT_EQ(Read(v.guaranteed_pod, "cpuset.cpus"), numa::FormatCpuList(exclusive));
  const std::string shared = numa::FormatCpuList(engine.SharedPool());
  EXPECT_EQ(Read(Container(v.burstable_pod, id2), "cpuset.cpus"), shared);
  EXPECT_EQ(Read(Container(v.burstable_pod, id2), "cpuset.mems"), "0-1");
  EXPECT_EQ(Read(v.burstable_pod, "cpuset.cpus"), shared);
  EXPECT_TRUE(api.annotations["g"].count("numalign.io/pinned"));
  EXPECT_TRUE(api.annotations["b"].count("numalign.io/pinned"));

  // Someone widens the container again: the reconcile loop puts the pinning back.
  dir_.Write(v.prefix + g_container + "/cpuset.cpus", "0-7\n");
  controller.Tick();
  EXPECT_EQ(Read(g_container, "cpuset.cpus"), numa::FormatCpuList(exclusive));
  EXPECT_EQ(metrics.cgroup_drift_repairs_total, 1U);

  // The Guaranteed pod ends: its CPUs return to the shared pool, which the shared pod follows.
  controller.OnPodDeleted(kUid1);
  controller.RepinSharedPoolIfChanged();
  EXPECT_EQ(Read(Container(v.burstable_pod, id2), "cpuset.cpus"),
            numa::FormatCpuList(engine.SharedPool()));
  EXPECT_EQ(engine.SharedPool().size(), 8U);
}

INSTANTIATE_TEST_SUITE_P(AllLayouts, PinningVariants, ::testing::ValuesIn(Variants()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace numalign::agent
