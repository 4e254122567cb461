#include "agent/cgroup/fs_cpuset_writer.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>

#include "agent/cgroup/in_memory_filesystem.h"
#include "agent/cgroup/rooted_filesystem.h"
#include "tests/support/temp_dir.h"

namespace numalign::agent::cgroup {
namespace {

using test_support::TempDir;

using Write = InMemoryFilesystem::Write;

const PodUid kUid = PodUid::Parse("1234abcd-5678-90ef-abcd-1234567890ab").value();
const ContainerRef kC1 =
    ContainerRef::Create(ContainerRuntime::kContainerd, std::string(64, 'a')).value();
const ContainerRef kC2 =
    ContainerRef::Create(ContainerRuntime::kContainerd, std::string(64, 'b')).value();

IdList L(const char* text) {
  return IdList::Parse(text).value();
}

// Refuses writes the way the v1 cpuset controller does: a cpuset outside its parent's is
// EACCES, a cpuset that would leave a child outside is EBUSY (kernel/cgroup/cpuset.c,
// validate_change). Lets the tests prove the write order, not just the final values.
void EnforceV1Hierarchy(InMemoryFilesystem& fs) {
  fs.SetWriteHook([&fs](const std::string& path, std::string_view content) {
    const std::string cgroup = ParentPath(path);
    const std::string file = path.substr(path.rfind('/') + 1);
    const IdList value = IdList::Parse(content).value();
    const std::string parent_file = JoinPath(ParentPath(cgroup), file);
    if (cgroup != "cpuset" && fs.Exists(parent_file) &&
        !value.IsSubsetOf(IdList::Parse(fs.ReadFile(parent_file).value()).value())) {
      return EACCES;
    }
    for (const std::string& child : fs.ListDirectory(cgroup).value()) {
      const std::string child_file = JoinPath(JoinPath(cgroup, child), file);
      if (fs.Exists(child_file) &&
          !IdList::Parse(fs.ReadFile(child_file).value()).value().IsSubsetOf(value)) {
        return EBUSY;
      }
    }
    return 0;
  });
}

void AddCpuset(InMemoryFilesystem& fs, const std::string& cgroup, const char* cpus,
               const char* mems) {
  fs.AddFile(JoinPath(cgroup, "cpuset.cpus"), std::string(cpus) + "\n");
  fs.AddFile(JoinPath(cgroup, "cpuset.mems"), std::string(mems) + "\n");
}

// A v1 cgroupfs tree: cpuset/ -> kubepods -> pod -> two containers, everything on all of a
// 16-CPU, 2-node machine, as runc leaves it (children copy their parent's cpuset).
class V1OrderTest : public testing::Test {
 protected:
  void SetUp() override {
    AddCpuset(fs_, "cpuset", "0-15", "0-1");
    AddCpuset(fs_, layout_.KubepodsPath(), "0-15", "0-1");
    AddCpuset(fs_, pod_, "0-15", "0-1");
    AddCpuset(fs_, c1_, "0-15", "0-1");
    AddCpuset(fs_, c2_, "0-15", "0-1");
    EnforceV1Hierarchy(fs_);
  }
  std::string Cpus(const std::string& cgroup) {
    return IdList::Parse(fs_.ReadFile(JoinPath(cgroup, "cpuset.cpus")).value()).value().Format();
  }
  std::string Mems(const std::string& cgroup) {
    return IdList::Parse(fs_.ReadFile(JoinPath(cgroup, "cpuset.mems")).value()).value().Format();
  }

  InMemoryFilesystem fs_;
  CgroupLayout layout_{CgroupVersion::kV1, CgroupDriver::kCgroupfs};
  std::string pod_ = layout_.PodPath(QosClass::kGuaranteed, kUid);
  std::string c1_ = layout_.ContainerPath(QosClass::kGuaranteed, kUid, kC1);
  std::string c2_ = layout_.ContainerPath(QosClass::kGuaranteed, kUid, kC2);
  FsCpusetWriter writer_{fs_, CgroupVersion::kV1};
};

TEST_F(V1OrderTest, TheHookRefusesANaiveParentFirstNarrowing) {
  EXPECT_EQ(fs_.WriteFile(JoinPath(pod_, "cpuset.cpus"), "0-3").error().code, ErrorCode::kBusy);
  EXPECT_EQ(fs_.WriteFile(JoinPath(c1_, "cpuset.cpus"), "0-31").error().code,
            ErrorCode::kPermissionDenied);
}

TEST_F(V1OrderTest, NarrowsChildrenBeforeTheirParentMemsBeforeCpus) {
  // Listed parent first on purpose: the writer orders by depth itself.
  auto applied = writer_.Apply(
      {{pod_, {L("0-3"), L("0")}}, {c1_, {L("0-1"), L("0")}}, {c2_, {L("2-3"), L("0")}}});
  ASSERT_TRUE(applied.ok()) << applied.error().ToString();
  EXPECT_EQ(fs_.writes(), (std::vector<Write>{{JoinPath(c2_, "cpuset.mems"), "0"},
                                              {JoinPath(c2_, "cpuset.cpus"), "2-3"},
                                              {JoinPath(c1_, "cpuset.mems"), "0"},
                                              {JoinPath(c1_, "cpuset.cpus"), "0-1"},
                                              {JoinPath(pod_, "cpuset.mems"), "0"},
                                              {JoinPath(pod_, "cpuset.cpus"), "0-3"}}));
}

TEST_F(V1OrderTest, WidensParentsBeforeChildrenMemsBeforeCpus) {
  ASSERT_TRUE(
      writer_
          .Apply({{c1_, {L("0-1"), L("0")}}, {c2_, {L("2-3"), L("0")}}, {pod_, {L("0-3"), L("0")}}})
          .ok());
  fs_.ClearWrites();
  auto applied = writer_.Apply(
      {{c1_, {L("0-5"), L("0-1")}}, {c2_, {L("2-3"), L("0")}}, {pod_, {L("0-7"), L("0-1")}}});
  ASSERT_TRUE(applied.ok()) << applied.error().ToString();
  // Pure widening: one write per changed file, parents first; c2 is unchanged and not written.
  EXPECT_EQ(fs_.writes(), (std::vector<Write>{{JoinPath(pod_, "cpuset.mems"), "0-1"},
                                              {JoinPath(pod_, "cpuset.cpus"), "0-7"},
                                              {JoinPath(c1_, "cpuset.mems"), "0-1"},
                                              {JoinPath(c1_, "cpuset.cpus"), "0-5"}}));
}

TEST_F(V1OrderTest, MovesAPodToOtherCpusThroughTheUnion) {
  ASSERT_TRUE(
      writer_
          .Apply({{pod_, {L("0-3"), L("0")}}, {c1_, {L("0-1"), L("0")}}, {c2_, {L("2-3"), L("0")}}})
          .ok());
  // Entirely disjoint target: only possible by growing to the union first, then shrinking.
  auto applied = writer_.Apply(
      {{pod_, {L("8-11"), L("1")}}, {c1_, {L("8-9"), L("1")}}, {c2_, {L("10-11"), L("1")}}});
  ASSERT_TRUE(applied.ok()) << applied.error().ToString();
  EXPECT_EQ(Cpus(pod_), "8-11");
  EXPECT_EQ(Mems(pod_), "1");
  EXPECT_EQ(Cpus(c1_), "8-9");
  EXPECT_EQ(Cpus(c2_), "10-11");
  EXPECT_EQ(Mems(c2_), "1");
}

TEST_F(V1OrderTest, NothingWrittenWhenAlreadyPinned) {
  ASSERT_TRUE(writer_.Pin(c1_, L("0-15"), L("0-1")).ok());
  EXPECT_TRUE(fs_.writes().empty());
}

TEST_F(V1OrderTest, ChildOutsideParentIsRefusedWithAnExplanation) {
  ASSERT_TRUE(
      writer_
          .Apply({{pod_, {L("0-3"), L("0")}}, {c1_, {L("0-1"), L("0")}}, {c2_, {L("2-3"), L("0")}}})
          .ok());
  auto pinned = writer_.Pin(c1_, L("4-5"), L("0"));
  ASSERT_FALSE(pinned.ok());
  EXPECT_EQ(pinned.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(pinned.error().message.find("within its parent"), std::string::npos);
  EXPECT_EQ(Cpus(c1_), "0-1");
}

TEST_F(V1OrderTest, KernelRefusalsBecomeErrorValues) {
  struct Case {
    int sys_errno;
    ErrorCode code;
  };
  for (const Case& c : {Case{EINVAL, ErrorCode::kInvalidValue}, Case{ENOSPC, ErrorCode::kNoSpace},
                        Case{EACCES, ErrorCode::kPermissionDenied}, Case{EIO, ErrorCode::kIo}}) {
    fs_.SetWriteHook([&](const std::string&, std::string_view) { return c.sys_errno; });
    fs_.ClearWrites();
    auto pinned = writer_.Pin(c1_, L("0-3"), L("0"));
    ASSERT_FALSE(pinned.ok());
    EXPECT_EQ(pinned.error().code, c.code);
    EXPECT_EQ(pinned.error().sys_errno, c.sys_errno);
    EXPECT_EQ(pinned.error().path, JoinPath(c1_, "cpuset.mems"));  // the first write stops it
    EXPECT_TRUE(fs_.writes().empty());
  }
}

TEST_F(V1OrderTest, ClampsUntargetedChildrenSoThePodCgroupCanShrink) {
  // The sandbox (pause) container exists before the agent pins the pod, with the full cpuset
  // runc copied from the pod cgroup; c1 is already narrower and partly inside the new set.
  const std::string sandbox = layout_.ContainerPath(
      QosClass::kGuaranteed, kUid,
      ContainerRef::Create(ContainerRuntime::kContainerd, std::string(64, 'd')).value());
  AddCpuset(fs_, sandbox, "0-15", "0-1");
  ASSERT_TRUE(fs_.WriteFile(JoinPath(c1_, "cpuset.cpus"), "2-5").ok());
  fs_.ClearWrites();
  auto pinned = writer_.Pin(pod_, L("0-3"), L("0"));
  ASSERT_TRUE(pinned.ok()) << pinned.error().ToString();
  EXPECT_EQ(Cpus(pod_), "0-3");
  EXPECT_EQ(Mems(pod_), "0");
  EXPECT_EQ(Cpus(sandbox), "0-3");
  EXPECT_EQ(Mems(sandbox), "0");
  EXPECT_EQ(Cpus(c1_), "2-3");  // intersection, not the whole new set
  EXPECT_EQ(Cpus(c2_), "0-3");
  EXPECT_EQ(fs_.writes().back(), (Write{JoinPath(pod_, "cpuset.cpus"), "0-3"}));
}

TEST(FsCpusetWriterTest, V2LeavesUntargetedChildrenToTheKernel) {
  InMemoryFilesystem fs;
  AddCpuset(fs, "kubepods/pod1", "0-15", "0-1");
  AddCpuset(fs, "kubepods/pod1/sandbox", "", "");
  AddCpuset(fs, "kubepods/pod1/other", "8-15", "1");
  FsCpusetWriter writer(fs, CgroupVersion::kV2);
  ASSERT_TRUE(writer.Pin("kubepods/pod1", L("0-3"), L("0")).ok());
  EXPECT_EQ(fs.writes(), (std::vector<Write>{{"kubepods/pod1/cpuset.mems", "0"},
                                             {"kubepods/pod1/cpuset.cpus", "0-3"}}));
}

TEST(FsCpusetWriterTest, ReadsV1EffectiveFiles) {
  InMemoryFilesystem fs;
  AddCpuset(fs, "cpuset/jjh", "0-175", "0,8,250-255");
  fs.AddFile("cpuset/jjh/cpuset.effective_cpus", "0-87\n");
  fs.AddFile("cpuset/jjh/cpuset.effective_mems", "0\n");
  auto reading = FsCpusetWriter(fs, CgroupVersion::kV1).Read("cpuset/jjh");
  ASSERT_TRUE(reading.ok()) << reading.error().ToString();
  EXPECT_EQ(reading->cpus, L("0-175"));
  EXPECT_EQ(reading->mems, L("0,8,250-255"));
  EXPECT_EQ(reading->effective_cpus, L("0-87"));
  EXPECT_EQ(reading->effective_mems, L("0"));
}

TEST(FsCpusetWriterTest, V2WithoutCpusetInSubtreeControlIsAClearError) {
  InMemoryFilesystem fs;
  const CgroupLayout layout(CgroupVersion::kV2, CgroupDriver::kSystemd);
  const std::string pod = layout.PodPath(QosClass::kBurstable, kUid);
  const std::string container = layout.ContainerPath(QosClass::kBurstable, kUid, kC1);
  fs.AddFile(JoinPath(pod, "cgroup.subtree_control"), "cpu memory pids\n");
  fs.AddFile(JoinPath(container, "cgroup.procs"), "");
  FsCpusetWriter writer(fs, CgroupVersion::kV2);
  auto pinned = writer.Pin(container, L("0-3"), L("0"));
  ASSERT_FALSE(pinned.ok());
  EXPECT_EQ(pinned.error().code, ErrorCode::kControllerNotEnabled);
  EXPECT_EQ(pinned.error().path, container);
  EXPECT_NE(pinned.error().message.find(JoinPath(pod, "cgroup.subtree_control")),
            std::string::npos);
  EXPECT_NE(pinned.error().message.find("cpu memory pids"), std::string::npos);
  EXPECT_NE(pinned.error().message.find("+cpuset"), std::string::npos);
  EXPECT_EQ(writer.Read(container).error().code, ErrorCode::kControllerNotEnabled);
  EXPECT_TRUE(fs.writes().empty());
}

TEST(FsCpusetWriterTest, RefusesBadRequestsBeforeWritingAnything) {
  InMemoryFilesystem fs;
  AddCpuset(fs, "kubepods/pod1", "", "");
  FsCpusetWriter writer(fs, CgroupVersion::kV2);
  EXPECT_EQ(writer.Pin("kubepods/pod1", IdList(), L("0")).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(writer.Pin("kubepods/pod1", L("0"), IdList()).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(writer.Pin("kubepods/pod2", L("0"), L("0")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(writer.Pin("kubepods/../../etc", L("0"), L("0")).error().code, ErrorCode::kOutsideRoot);
  EXPECT_EQ(writer.Pin("/sys/fs/cgroup/kubepods/pod1", L("0"), L("0")).error().code,
            ErrorCode::kOutsideRoot);
  EXPECT_EQ(writer.Apply({{"kubepods/pod1", {L("0"), L("0")}}, {"kubepods/pod1", {L("1"), L("0")}}})
                .error()
                .code,
            ErrorCode::kInvalidArgument);
  // An unknown cgroup anywhere in the list stops the whole Apply before the first write.
  EXPECT_FALSE(
      writer.Apply({{"kubepods/pod1", {L("0"), L("0")}}, {"kubepods/gone", {L("0"), L("0")}}})
          .ok());
  EXPECT_TRUE(fs.writes().empty());
}

// A file that keeps its own value whatever is written, like a kernel clamping a cpuset.
class StubbornFilesystem final : public Filesystem {
 public:
  explicit StubbornFilesystem(InMemoryFilesystem& inner) : inner_(inner) {}
  Result<std::string> ReadFile(std::string_view path) const override {
    return inner_.ReadFile(path);
  }
  Status WriteFile(std::string_view path, std::string_view) override {
    return inner_.WriteFile(path, "0");
  }
  bool Exists(std::string_view path) const override { return inner_.Exists(path); }
  bool IsDirectory(std::string_view path) const override { return inner_.IsDirectory(path); }
  Result<std::vector<std::string>> ListDirectory(std::string_view path) const override {
    return inner_.ListDirectory(path);
  }
  Status MakeDirectory(std::string_view path) override { return inner_.MakeDirectory(path); }

 private:
  InMemoryFilesystem& inner_;
};

TEST(FsCpusetWriterTest, AValueTheKernelDidNotKeepIsAnError) {
  InMemoryFilesystem inner;
  AddCpuset(inner, "kubepods/pod1", "0-7", "0-1");
  StubbornFilesystem fs(inner);
  auto pinned = FsCpusetWriter(fs, CgroupVersion::kV2).Pin("kubepods/pod1", L("2-3"), L("1"));
  ASSERT_FALSE(pinned.ok());
  EXPECT_EQ(pinned.error().code, ErrorCode::kKernelRejected);
  EXPECT_NE(pinned.error().message.find("wrote \"1\""), std::string::npos);
}

// The real Filesystem on a temporary directory laid out like a v2 systemd host.
TEST(FsCpusetWriterTest, PinsAPodOnARealFileTree) {
  TempDir tmp{"numalign-agent"};
  const CgroupLayout layout(CgroupVersion::kV2, CgroupDriver::kSystemd);
  const std::string pod = layout.PodPath(QosClass::kGuaranteed, kUid);
  const std::string container = layout.ContainerPath(QosClass::kGuaranteed, kUid, kC1);
  tmp.Write("root/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
  tmp.Write("root/cgroup.subtree_control", "cpuset cpu io memory hugetlb pids\n");
  for (const std::string& cgroup : {layout.KubepodsPath(), pod, container}) {
    tmp.Write("root/" + JoinPath(cgroup, "cgroup.controllers"), "cpuset cpu io memory pids\n");
    tmp.Write("root/" + JoinPath(cgroup, "cgroup.subtree_control"),
              cgroup == container ? "\n" : "cpuset cpu io memory pids\n");
    tmp.Write("root/" + JoinPath(cgroup, "cgroup.procs"), "");
    tmp.Write("root/" + JoinPath(cgroup, "cpuset.cpus"), "\n");  // empty: inherit
    tmp.Write("root/" + JoinPath(cgroup, "cpuset.mems"), "\n");
    tmp.Write("root/" + JoinPath(cgroup, "cpuset.cpus.effective"), "0-7\n");
    tmp.Write("root/" + JoinPath(cgroup, "cpuset.mems.effective"), "0-1\n");
  }
  auto fs = RootedFilesystem::Open(tmp / "root");
  ASSERT_TRUE(fs.ok());
  ASSERT_EQ(DetectCgroupVersion(**fs).value(), CgroupVersion::kV2);
  FsCpusetWriter writer(**fs, CgroupVersion::kV2);
  auto applied = writer.Apply({{pod, {L("4-7"), L("1")}}, {container, {L("4-5"), L("1")}}});
  ASSERT_TRUE(applied.ok()) << applied.error().ToString();
  EXPECT_EQ(tmp.Read("root/" + JoinPath(container, "cpuset.cpus")), "4-5");
  EXPECT_EQ(tmp.Read("root/" + JoinPath(container, "cpuset.mems")), "1");
  EXPECT_EQ(tmp.Read("root/" + JoinPath(pod, "cpuset.cpus")), "4-7");
  EXPECT_EQ(tmp.Read("root/" + JoinPath(layout.KubepodsPath(), "cpuset.cpus")), "\n");
  auto reading = writer.Read(container);
  ASSERT_TRUE(reading.ok());
  EXPECT_EQ(reading->cpus, L("4-5"));
  EXPECT_EQ(reading->effective_cpus, L("0-7"));  // a plain file: nobody recomputes it here
}

TEST(FsCpusetWriterTest, NeverWritesThroughASymlinkedCgroup) {
  TempDir tmp{"numalign-agent"};
  tmp.Write("root/cgroup.controllers", "cpuset\n");
  tmp.Write("root/kubepods/cpuset.cpus", "0-7\n");
  tmp.Write("root/kubepods/cpuset.mems", "0\n");
  tmp.Write("outside/cpuset.cpus", "0-7\n");
  tmp.Write("outside/cpuset.mems", "0\n");
  std::filesystem::create_directory_symlink(tmp / "outside", tmp / "root/kubepods/podx");
  auto fs = RootedFilesystem::Open(tmp / "root");
  ASSERT_TRUE(fs.ok());
  FsCpusetWriter writer(**fs, CgroupVersion::kV2);
  EXPECT_FALSE(writer.Pin("kubepods/podx", L("1"), L("0")).ok());
  EXPECT_FALSE(writer.Read("kubepods/podx").ok());
  EXPECT_EQ(tmp.Read("outside/cpuset.cpus"), "0-7\n");
}

}  // namespace
}  // namespace numalign::agent::cgroup
