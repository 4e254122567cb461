#include "numa/cpumanager/reserved_cpus.h"

#include <gtest/gtest.h>

#include "numa/cpumanager/test_machines.h"

namespace numalign::numa {
namespace {

class CpuReservedTest : public ::testing::Test {
 protected:
  // 2 sockets x 4 cores x 2 threads: core c = {c, c + 8}.
  CpuReservedTest() {
    std::string error;
    topo_ = *CpuTopology::Create(testing::SmtMachine(2, 1, 4, 2), &error);
  }
  std::optional<ReservedCpus> Select(std::optional<std::string> explicit_cpus,
                                     std::int64_t millicpus, std::string* error) {
    const auto request = ResolveReservation(topo_, explicit_cpus, millicpus, error);
    if (!request) return std::nullopt;
    return SelectReservedCpus(topo_, StaticPolicyOptions{}, *request, error);
  }
  CpuTopology topo_;
};

TEST_F(CpuReservedTest, RoundsUpAndTakesLowNumberedWholeCores) {
  std::string error;
  const auto two = Select(std::nullopt, 1500, &error);
  ASSERT_TRUE(two) << error;
  EXPECT_EQ(two->reserved, CpuSet::Of({0, 8}));
  const auto one = Select(std::nullopt, 500, &error);
  ASSERT_TRUE(one) << error;
  EXPECT_EQ(one->reserved, CpuSet::Of({0}));
  // full-pcpus-only treats the sibling of a reserved CPU as taken.
  EXPECT_EQ(one->reserved_physical, CpuSet::Of({0, 8}));
}

TEST_F(CpuReservedTest, ExplicitListWinsOverMillicores) {
  std::string error;
  const auto reserved = Select("1,3", 4000, &error);
  ASSERT_TRUE(reserved) << error;
  EXPECT_EQ(reserved->reserved, CpuSet::Of({1, 3}));
  EXPECT_EQ(reserved->reserved_physical, CpuSet::Of({1, 3, 9, 11}));
}

TEST_F(CpuReservedTest, RefusesWhatTheKubeletRefuses) {
  std::string error;
  EXPECT_FALSE(Select(std::nullopt, 0, &error));
  EXPECT_EQ(error,
            "[cpumanager] the static policy requires systemreserved.cpu + kubereserved.cpu to be "
            "greater than zero");
  EXPECT_FALSE(Select("0-x", 0, &error));
  EXPECT_NE(error.find("unable to parse reserved-cpus list"), std::string::npos);
  EXPECT_FALSE(Select("40", 0, &error));
  EXPECT_EQ(error, "reserved-cpus: 40 is not a subset of online-cpus: 0-15");
  EXPECT_FALSE(Select(std::nullopt, 17000, &error));
  EXPECT_EQ(error,
            "[cpumanager] unable to reserve the required amount of CPUs (size of  did not equal "
            "17)");
}

}  // namespace
}  // namespace numalign::numa
