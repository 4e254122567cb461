#include "agent/cgroup/cpuset_reconciler.h"

#include <gtest/gtest.h>

#include "agent/cgroup/fs_cpuset_writer.h"
#include "agent/cgroup/in_memory_filesystem.h"

namespace numalign::agent::cgroup {
namespace {

using Write = InMemoryFilesystem::Write;

IdList L(const char* text) {
  return IdList::Parse(text).value();
}

class ReconcileTest : public testing::Test {
 protected:
  void SetUp() override {
    for (const std::string& cgroup : {pod_, container_}) {
      fs_.AddFile(JoinPath(cgroup, "cpuset.cpus"), "0-15\n");
      fs_.AddFile(JoinPath(cgroup, "cpuset.mems"), "0-1\n");
    }
    ASSERT_TRUE(writer_.Apply(targets_).ok());
    fs_.ClearWrites();
  }

  InMemoryFilesystem fs_;
  FsCpusetWriter writer_{fs_, CgroupVersion::kV2};
  std::string pod_ = "kubepods/pod1234abcd-5678-90ef-abcd-1234567890ab";
  std::string container_ = pod_ + "/" + std::string(64, 'c');
  std::vector<CpusetTarget> targets_{{pod_, {L("0-3"), L("0")}}, {container_, {L("0-3"), L("0")}}};
};

TEST_F(ReconcileTest, NoDriftNoWrites) {
  auto drifts = Reconcile(writer_, targets_);
  ASSERT_TRUE(drifts.ok());
  EXPECT_TRUE(drifts->empty());
  EXPECT_TRUE(fs_.writes().empty());
}

TEST_F(ReconcileTest, RewritesOnlyTheFileThatDrifted) {
  // Someone (a runtime update, an operator) widened the container's CPUs.
  ASSERT_TRUE(fs_.WriteFile(JoinPath(container_, "cpuset.cpus"), "0-15").ok());
  fs_.ClearWrites();
  auto drifts = Reconcile(writer_, targets_);
  ASSERT_TRUE(drifts.ok()) << drifts.error().ToString();
  ASSERT_EQ(drifts->size(), 1u);
  EXPECT_EQ((*drifts)[0].cgroup, container_);
  EXPECT_TRUE((*drifts)[0].cpus_drifted);
  EXPECT_FALSE((*drifts)[0].mems_drifted);
  EXPECT_EQ((*drifts)[0].actual.cpus, L("0-15"));
  EXPECT_EQ(fs_.writes(), (std::vector<Write>{{JoinPath(container_, "cpuset.cpus"), "0-3"}}));
  EXPECT_TRUE(Reconcile(writer_, targets_)->empty());
}

TEST_F(ReconcileTest, EffectiveMismatchIsReportedNotRewritten) {
  fs_.AddFile(JoinPath(container_, "cpuset.mems.effective"), "1\n");
  auto drifts = Reconcile(writer_, targets_);
  ASSERT_TRUE(drifts.ok());
  ASSERT_EQ(drifts->size(), 1u);
  EXPECT_TRUE((*drifts)[0].effective_differs);
  EXPECT_FALSE((*drifts)[0].NeedsRewrite());
  EXPECT_TRUE(fs_.writes().empty());
}

TEST_F(ReconcileTest, AVanishedCgroupIsAnError) {
  fs_.RemoveFile(JoinPath(container_, "cpuset.cpus"));
  auto drifts = Reconcile(writer_, targets_);
  ASSERT_FALSE(drifts.ok());
  EXPECT_EQ(drifts.error().path, container_);
}

// A CpusetWriter double: serves readings from a map and records what Apply receives.
class RecordingWriter final : public CpusetWriter {
 public:
  Status Apply(const std::vector<CpusetTarget>& targets) override {
    applied.push_back(targets);
    return {};
  }
  Result<CpusetReading> Read(std::string_view cgroup) const override {
    return readings.at(std::string(cgroup));
  }
  std::map<std::string, CpusetReading> readings;
  std::vector<std::vector<CpusetTarget>> applied;
};

TEST(ReconcileWithDoubleTest, AppliesOnlyDriftedTargets) {
  RecordingWriter writer;
  writer.readings["a"] = {L("0-1"), L("0"), std::nullopt, std::nullopt};
  writer.readings["b"] = {L("2-3"), L("1"), std::nullopt, std::nullopt};  // mems drifted
  writer.readings["c"] = {L("4-5"), L("0"), std::nullopt, std::nullopt};
  auto drifts = Reconcile(
      writer, {{"a", {L("0-1"), L("0")}}, {"b", {L("2-3"), L("0")}}, {"c", {L("4-5"), L("0")}}});
  ASSERT_TRUE(drifts.ok());
  ASSERT_EQ(writer.applied.size(), 1u);
  ASSERT_EQ(writer.applied[0].size(), 1u);
  EXPECT_EQ(writer.applied[0][0].cgroup, "b");
  EXPECT_EQ(writer.applied[0][0].desired.mems, L("0"));
}

}  // namespace
}  // namespace numalign::agent::cgroup
