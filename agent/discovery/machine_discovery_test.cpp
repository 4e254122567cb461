#include "agent/discovery/machine_discovery.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "agent/allocation/test_node.h"

namespace numalign::agent {
namespace {

using testing::MakeMachine;

DiscoveryBackends Fake(std::optional<numa::Machine> hwloc, std::optional<numa::Machine> sysfs) {
  DiscoveryBackends b;
  b.hwloc_live = [hwloc](std::string* error) {
    if (!hwloc) *error = "no hwloc here";
    return hwloc;
  };
  b.sysfs = [sysfs](const std::string&, std::string* error) {
    if (!sysfs) *error = "no sysfs here";
    return sysfs;
  };
  b.hwloc_xml = [](const std::string& path, std::string* error) -> std::optional<numa::Machine> {
    if (path == "good.xml") return MakeMachine(4, 2);
    *error = "cannot read " + path;
    return std::nullopt;
  };
  return b;
}

AgentConfig Config(DiscoveryMode mode) {
  AgentConfig c;
  c.node_name = "n";
  c.discovery = mode;
  return c;
}

TEST(MachineDiscovery, AutoPrefersHwlocAndCrossChecksSysfs) {
  numa::Machine other = MakeMachine();
  other.numa_nodes[1].memory += 1ULL << 30;
  auto r = DiscoverMachine(Config(DiscoveryMode::kAuto), Fake(MakeMachine(), other));
  ASSERT_TRUE(r.machine) << r.error;
  EXPECT_EQ(r.source, "hwloc");
  ASSERT_FALSE(r.disagreements.empty());
  EXPECT_NE(r.disagreements[0].find("memory"), std::string::npos) << r.disagreements[0];
}

TEST(MachineDiscovery, AutoFallsBackToSysfs) {
  auto r = DiscoverMachine(Config(DiscoveryMode::kAuto), Fake(std::nullopt, MakeMachine()));
  ASSERT_TRUE(r.machine);
  EXPECT_EQ(r.source, "sysfs:/");
  ASSERT_EQ(r.notes.size(), 1U);
  EXPECT_NE(r.notes[0].find("no hwloc here"), std::string::npos);
}

TEST(MachineDiscovery, ExplicitBackendFailsWithItsError) {
  auto r = DiscoverMachine(Config(DiscoveryMode::kHwloc), Fake(std::nullopt, MakeMachine()));
  EXPECT_FALSE(r.machine);
  EXPECT_EQ(r.error, "hwloc: no hwloc here");
  r = DiscoverMachine(Config(DiscoveryMode::kSysfs), Fake(MakeMachine(), std::nullopt));
  EXPECT_FALSE(r.machine);
  EXPECT_NE(r.error.find("no sysfs here"), std::string::npos);
  r = DiscoverMachine(Config(DiscoveryMode::kAuto), Fake(std::nullopt, std::nullopt));
  EXPECT_FALSE(r.machine);
  EXPECT_NE(r.error.find("no hwloc here"), std::string::npos);
  EXPECT_NE(r.error.find("no sysfs here"), std::string::npos);
}

TEST(MachineDiscovery, TopologyXmlWinsAndIsNotCrossChecked) {
  AgentConfig c = Config(DiscoveryMode::kAuto);
  c.topology_xml = "good.xml";
  auto r = DiscoverMachine(c, Fake(MakeMachine(), MakeMachine()));
  ASSERT_TRUE(r.machine);
  EXPECT_EQ(r.machine->numa_nodes.size(), 4U);
  EXPECT_TRUE(r.disagreements.empty());
  c.topology_xml = "bad.xml";
  r = DiscoverMachine(c, Fake(MakeMachine(), MakeMachine()));
  EXPECT_EQ(r.error, "--topology-xml: cannot read bad.xml");
}

// Every shared hwloc XML topology loads through the real backend.
TEST(MachineDiscovery, EverySharedHwlocTopologyLoads) {
  const char* env = std::getenv("NUMALIGN_SHARED");
  const std::filesystem::path dir =
      std::filesystem::path(env ? env : NUMALIGN_SHARED_DIR) / "topologies" / "hwloc";
  ASSERT_TRUE(std::filesystem::is_directory(dir))
      << "shared topologies missing: " << dir << " (set NUMALIGN_SHARED)";
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".xml") continue;
    AgentConfig c = Config(DiscoveryMode::kAuto);
    c.topology_xml = entry.path().string();
    auto r = DiscoverMachine(c, DiscoveryBackends::Real());
    // hwloc 3.x exports are refused with a message; everything else must load.
    if (!r.machine) {
      EXPECT_NE(r.error.find("3."), std::string::npos) << entry.path() << ": " << r.error;
      continue;
    }
    EXPECT_FALSE(r.machine->numa_nodes.empty()) << entry.path();
    ++loaded;
  }
  EXPECT_GT(loaded, 5);
}

}  // namespace
}  // namespace numalign::agent
