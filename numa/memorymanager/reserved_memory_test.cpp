#include "numa/memorymanager/reserved_memory.h"

#include <gtest/gtest.h>

namespace numalign::numa {
namespace {

constexpr std::uint64_t kMi = 1ULL << 20;

std::string FlagError(const std::string& text) {
  std::vector<MemoryReservation> out;
  std::string error;
  EXPECT_FALSE(ParseReservedMemoryFlag(text, &out, &error)) << text;
  return error;
}

Quantity Q(const std::string& s) {
  return *Quantity::Parse(s, nullptr);
}

Machine TwoNodes() {
  Machine m;
  for (int i = 0; i < 2; ++i) {
    NumaNodeInfo n;
    n.id = i;
    n.memory = 8ULL << 30;
    m.numa_nodes.push_back(n);
  }
  return m;
}

TEST(ReservedMemoryFlagTest, ParsesSeveralNodesAndTypes) {
  std::vector<MemoryReservation> out;
  std::string error;
  ASSERT_TRUE(ParseReservedMemoryFlag("0:memory=1Gi,hugepages-2Mi=4Mi;1:memory=2Gi", &out, &error))
      << error;
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].numa_node, 0);
  ASSERT_EQ(out[0].limits.size(), 2u);
  EXPECT_EQ(out[0].limits[1].first, "hugepages-2Mi");
  EXPECT_EQ(out[1].limits[0].second, Q("2Gi"));
  // Repeated flags append.
  ASSERT_TRUE(ParseReservedMemoryFlag("3:memory=1Mi", &out, &error));
  EXPECT_EQ(out.size(), 3u);
  EXPECT_TRUE(ParseReservedMemoryFlag("", &out, &error));
}

TEST(ReservedMemoryFlagTest, KubeletErrorMessages) {
  EXPECT_EQ(FlagError("memory=1Gi"),
            "the reserved memory has incorrect format, expected "
            "numaNodeID:type=quantity[,type=quantity...], got memory=1Gi");
  EXPECT_EQ(FlagError("0:1:memory=1Gi"),
            "the reserved memory has incorrect format, expected "
            "numaNodeID:type=quantity[,type=quantity...], got 0:1:memory=1Gi");
  EXPECT_EQ(FlagError("x:memory=1Gi"),
            "failed to convert the NUMA node ID, exptected integer, got x");
  EXPECT_EQ(FlagError("0:memory"),
            "the reserved limit has incorrect value, expected type=quantatity, got memory");
  EXPECT_EQ(FlagError("0:cpu=1"), "memory type conversion error, unknown type: \"cpu\"");
  EXPECT_EQ(FlagError("0:memory=lots"),
            "failed to parse the quantatity, expected quantatity, got lots");
}

TEST(ReservedMemoryConfigTest, ValidationRules) {
  std::vector<MemoryReservation> rm{{0, {{"memory", Q("0")}, {"cpu", Q("1")}}},
                                    {0, {{"memory", Q("1Gi")}}}};
  auto errors = ValidateReservedMemoryConfig(rm);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0],
            "invalid configuration: reserved memory may not be zero for NUMA node 0 and resource "
            "\"memory\"");
  EXPECT_EQ(errors[1],
            "invalid configuration: the limit type \"cpu\" for NUMA node 0 is not supported, only "
            "[memory hugepages-<HugePageSize>] is accepted");
  EXPECT_EQ(errors[2],
            "invalid configuration: the reserved memory has a duplicate value for NUMA node 0 and "
            "resource \"memory\"");
  EXPECT_TRUE(
      ValidateReservedMemoryConfig({{0, {{"memory", Q("1Gi")}}}, {1, {{"memory", Q("1Gi")}}}})
          .empty());
}

TEST(ReservedMemoryConfigTest, SumMustEqualNodeAllocatableReservation) {
  NodeAllocatableReservation na{{{"memory", Q("600Mi")}}, {{"memory", Q("400Mi")}}, std::nullopt};
  std::string error;
  // 600Mi + 400Mi + default eviction 100Mi = 1100Mi.
  auto ok = ComputeSystemReservedMemory(TwoNodes(), {{0, {{"memory", Q("1100Mi")}}}}, na, &error);
  ASSERT_TRUE(ok) << error;
  EXPECT_EQ(ok->at(0).at("memory"), 1100 * kMi);
  auto split = ComputeSystemReservedMemory(
      TwoNodes(), {{0, {{"memory", Q("1000Mi")}}}, {1, {{"memory", Q("100Mi")}}}}, na, &error);
  ASSERT_TRUE(split) << error;

  EXPECT_FALSE(ComputeSystemReservedMemory(TwoNodes(), {{0, {{"memory", Q("1Gi")}}}}, na, &error));
  EXPECT_EQ(error,
            "the total amount \"1073741824\" of type \"memory\" is not equal to the value "
            "\"1153433600\" determined by Node Allocatable feature");
  EXPECT_FALSE(
      ComputeSystemReservedMemory(TwoNodes(), {{5, {{"memory", Q("1100Mi")}}}}, na, &error));
  EXPECT_EQ(error,
            "the reserved memory configuration references a NUMA node 5 that does not exist on "
            "this machine");
  // Hugepages cannot be reserved through system/kube-reserved, so they never balance.
  EXPECT_FALSE(ComputeSystemReservedMemory(
      TwoNodes(), {{0, {{"memory", Q("1100Mi")}, {"hugepages-2Mi", Q("2Mi")}}}}, na, &error));
  EXPECT_EQ(error,
            "the total amount \"2097152\" of type \"hugepages-2Mi\" is not equal to the value "
            "\"0\" determined by Node Allocatable feature");
}

TEST(ReservedMemoryConfigTest, ExplicitEvictionThresholds) {
  NodeAllocatableReservation na{{{"memory", Q("1Gi")}}, {}, std::map<std::string, std::string>{}};
  std::string error;
  EXPECT_TRUE(ComputeSystemReservedMemory(TwoNodes(), {{0, {{"memory", Q("1Gi")}}}}, na, &error))
      << error;
  na.eviction_hard = std::map<std::string, std::string>{{"memory.available", "1G"}};
  EXPECT_FALSE(ComputeSystemReservedMemory(TwoNodes(), {{0, {{"memory", Q("1Gi")}}}}, na, &error));
  EXPECT_EQ(error,
            "the total amount \"1073741824\" of type \"memory\" is not equal to the value "
            "\"2073741824\" determined by Node Allocatable feature");
  na.eviction_hard = std::map<std::string, std::string>{{"memory.available", "oops%"}};
  EXPECT_FALSE(ComputeSystemReservedMemory(TwoNodes(), {{0, {{"memory", Q("1Gi")}}}}, na, &error));
}

TEST(ReservedMemoryConfigTest, DecimalSiRendering) {
  EXPECT_EQ(DecimalSiString(Q("2G")), "2G");
  EXPECT_EQ(DecimalSiString(Q("1100Mi")), "1153433600");
  EXPECT_EQ(DecimalSiString(Q("1500m")), "1500m");
  EXPECT_EQ(DecimalSiString(Q("0")), "0");
  EXPECT_EQ(DecimalSiString(Q("3000k")), "3M");
}

}  // namespace
}  // namespace numalign::numa
