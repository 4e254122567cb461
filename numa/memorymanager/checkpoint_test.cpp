#include "numa/memorymanager/checkpoint.h"

#include <gtest/gtest.h>

#include "numa/memorymanager/state_validation.h"
#include "numa/memorymanager/static_policy.h"

namespace numalign::numa {
namespace {

constexpr std::uint64_t kGi = 1ULL << 30;
constexpr std::uint64_t kMi = 1ULL << 20;

struct TwoNodePolicy {
  Machine machine;
  std::optional<NumaIdMap> ids;
  std::optional<MemoryStaticPolicy> mm;
  TwoNodePolicy() {
    for (int i = 0; i < 2; ++i) {
      NumaNodeInfo n;
      n.id = i;
      n.memory = 4 * kGi + (i == 0 ? kMi : 0);
      n.hugepages[2 * kMi] = 0;
      machine.numa_nodes.push_back(n);
    }
    std::string error;
    ids = NumaIdMap::Create({0, 1}, &error);
    mm = MemoryStaticPolicy::Create(machine, *ids, {{0, {{"memory", kMi}}}}, &error);
  }
};

PodRequests MemPod(const std::string& uid, std::uint64_t bytes) {
  PodRequests p;
  p.uid = uid;
  p.qos = QosClass::kGuaranteed;
  ContainerRequest c;
  c.name = "c";
  c.memory = {{"memory", bytes}};
  p.containers.push_back(c);
  return p;
}

TopologyHint H(std::initializer_list<int> bits, bool preferred) {
  return TopologyHint{NumaMask::Of(bits), preferred};
}

TEST(CheckpointTest, KubeletLayoutAndRoundTrip) {
  TwoNodePolicy p;
  ASSERT_FALSE(p.mm->Allocate(MemPod("pod-a", 5 * kGi), 0, H({0, 1}, true)));
  MemoryCheckpoint c = CheckpointOf(*p.mm);
  const std::string text = SerializeCheckpoint(c);
  // Go struct field order and Go's string-sorted map keys.
  EXPECT_EQ(
      text.find("{\"policyName\":\"Static\",\"machineState\":{\"0\":{\"numberOfAssignments\":1,"
                "\"memoryMap\":{\"hugepages-2Mi\":{\"total\":0,\"systemReserved\":0,"
                "\"allocatable\":0,\"reserved\":0,\"free\":0},\"memory\":{\"total\":"),
      0u)
      << text;
  EXPECT_NE(text.find("\"cells\":[0,1]"), std::string::npos);
  EXPECT_NE(text.find("\"entries\":{\"pod-a\":{\"c\":[{\"numaAffinity\":[0,1],\"type\":\"memory\","
                      "\"size\":5368709120}]}}"),
            std::string::npos);
  std::string error;
  auto back = ParseCheckpoint(text, ChecksumCheck::kVerifyNumalign, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->checksum, CheckpointChecksum(c));
  c.checksum = back->checksum;
  EXPECT_EQ(*back, c);
  EXPECT_EQ(SerializeCheckpoint(*back), text);
}

TEST(CheckpointTest, EntriesOmittedWhenEmptyAndCpuPartRoundTrips) {
  TwoNodePolicy p;
  MemoryCheckpoint c = CheckpointOf(*p.mm);
  c.cpu_default_set = "0-3";
  c.cpu_entries["pod"]["c"] = "4-5";
  const std::string text = SerializeCheckpoint(c);
  EXPECT_EQ(text.find("\"entries\""), std::string::npos);
  std::string error;
  auto back = ParseCheckpoint(text, ChecksumCheck::kVerifyNumalign, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->cpu_entries.at("pod").at("c"), "4-5");
}

TEST(CheckpointTest, CorruptedChecksumIsDetected) {
  TwoNodePolicy p;
  ASSERT_FALSE(p.mm->Allocate(MemPod("pod-a", 1 * kGi), 0, H({0}, true)));
  std::string text = SerializeCheckpoint(CheckpointOf(*p.mm));
  const auto at = text.find("\"size\":1073741824");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 17, "\"size\":1073741825");
  std::string error;
  EXPECT_FALSE(ParseCheckpoint(text, ChecksumCheck::kVerifyNumalign, &error));
  EXPECT_EQ(error, "checkpoint is corrupted");
  // A kubelet-written file (Go checksum) is read without verification.
  EXPECT_TRUE(ParseCheckpoint(text, ChecksumCheck::kSkip, &error));
}

TEST(CheckpointTest, MalformedFilesAreErrors) {
  std::string error;
  EXPECT_FALSE(ParseCheckpoint("not json", ChecksumCheck::kSkip, &error));
  EXPECT_FALSE(
      ParseCheckpoint("{\"policyName\":\"Static\",\"machineState\":{\"x\":{}},\"checksum\":1}",
                      ChecksumCheck::kSkip, &error));
  EXPECT_EQ(error, "checkpoint.machineState.x: NUMA node ids must be non-negative integers");
  EXPECT_FALSE(ParseCheckpoint("{\"policyName\":\"Static\",\"machineState\":{},\"checksum\":-1}",
                               ChecksumCheck::kSkip, &error));
}

// E13: A 5 Gi on {0,1}, B 1 Gi on {0,1}, remove A, restart.
TEST(StateValidationTest, E13GroupSumsPassWherePerNodeFails) {
  TwoNodePolicy p;
  ASSERT_FALSE(p.mm->Allocate(MemPod("a", 5 * kGi), 0, H({0, 1}, true)));
  ASSERT_FALSE(p.mm->Allocate(MemPod("b", 1 * kGi), 0, H({0, 1}, false)));
  p.mm->RemovePod("a");
  MemoryCheckpoint stored = CheckpointOf(*p.mm);
  EXPECT_EQ(stored.machine_state.at(0).memory_map.at("memory").reserved, 0u);
  EXPECT_EQ(stored.machine_state.at(1).memory_map.at("memory").reserved, 1 * kGi);

  TwoNodePolicy fresh;
  MemoryCheckpoint defaults = CheckpointOf(*fresh.mm);
  EXPECT_FALSE(ValidateMemoryState(stored, defaults, StateComparison::kGroupSums));
  auto old = ValidateMemoryState(stored, defaults, StateComparison::kPerNode);
  ASSERT_TRUE(old);
  EXPECT_EQ(*old, "[memorymanager] the expected machine state is different from the real one");

  // Restoring into a fresh policy keeps the stored per-node split.
  ASSERT_FALSE(RestoreMemoryPolicy(*fresh.mm, stored));
  EXPECT_EQ(CheckpointOf(*fresh.mm), stored);
  ASSERT_NE(fresh.mm->Blocks("b", "c"), nullptr);
}

TEST(StateValidationTest, RejectsInconsistentStates) {
  TwoNodePolicy p;
  ASSERT_FALSE(p.mm->Allocate(MemPod("a", 1 * kGi), 0, H({0}, true)));
  MemoryCheckpoint stored = CheckpointOf(*p.mm);
  TwoNodePolicy fresh;
  MemoryCheckpoint defaults = CheckpointOf(*fresh.mm);

  MemoryCheckpoint drift = stored;  // kernel drift: total memory changed by a few MB
  drift.machine_state.at(0).memory_map.at("memory").total += 4 * kMi;
  EXPECT_EQ(ValidateMemoryState(drift, defaults),
            "[memorymanager] the expected machine state is different from the real one");

  MemoryCheckpoint ghost = stored;
  ghost.entries["x"]["c"].push_back(CheckpointBlock{{7}, "memory", 1});
  EXPECT_EQ(ValidateMemoryState(ghost, defaults),
            "[memorymanager] (pod: x, container: c) the memory assignment uses the NUMA that does "
            "not exist");

  MemoryCheckpoint empty;
  empty.entries = stored.entries;
  EXPECT_EQ(ValidateMemoryState(empty, defaults),
            "[memorymanager] machine state can not be empty when it has memory assignments");

  MemoryCheckpoint other = stored;
  other.policy_name = "None";
  EXPECT_EQ(RestoreMemoryPolicy(*fresh.mm, other),
            "[memorymanager] configured policy \"Static\" differs from state checkpoint policy "
            "\"None\"");
  // A failed restore leaves the policy untouched.
  EXPECT_EQ(CheckpointOf(*fresh.mm), defaults);
}

}  // namespace
}  // namespace numalign::numa
