#include "numa/topology/hwloc_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "numa/topology/cpu_list.h"
#include "numa/topology/sysfs_files.h"
#include "numa/topology/sysfs_loader.h"
#include "numa/topology/topology_diff.h"
#include "numa/topology/topology_test_fixtures.h"

namespace numalign::numa {
namespace {

using testing::PathExists;
using testing::TempDir;
using testing::TopologiesDir;

std::vector<int> List(const std::string& text) {
  std::string error;
  auto ids = ParseCpuList(text, &error);
  EXPECT_TRUE(ids.has_value()) << error;
  return ids.value_or(std::vector<int>{});
}

nlohmann::json LoadGolden() {
  const auto path = TopologiesDir() / "expected-hwloc-2.9.json";
  EXPECT_TRUE(PathExists(path));
  std::ifstream in(path);
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

Machine LoadXml(const std::string& file) {
  const auto path = TopologiesDir() / "hwloc" / file;
  EXPECT_TRUE(PathExists(path));
  std::string error;
  auto machine = LoadMachineFromHwlocXml(path.string(), &error);
  EXPECT_TRUE(machine.has_value()) << error;
  return machine.value_or(Machine{});
}

// hwloc's page types minus the base page (the smallest), as pool bytes.
std::map<std::uint64_t, std::uint64_t> ExpectedHugepages(const nlohmann::json& page_types) {
  std::map<std::uint64_t, std::uint64_t> pools;
  for (const auto& [size, count] : page_types.items()) {
    pools[std::stoull(size)] = std::stoull(size) * count.get<std::uint64_t>();
  }
  if (!pools.empty()) pools.erase(pools.begin());
  return pools;
}

void CheckAgainstGolden(const nlohmann::json& golden) {
  const std::string file = golden["file"];
  SCOPED_TRACE(file);
  const Machine m = LoadXml(file);

  std::set<int> expected_ids;
  std::uint64_t total_memory = 0;
  std::vector<int> cpus_of_cpu_nodes;
  for (const auto& g : golden["numa_nodes"]) {
    const int id = g["os_index"];
    SCOPED_TRACE("node P#" + std::to_string(id));
    expected_ids.insert(id);
    const NumaNodeInfo* node = m.node(id);
    ASSERT_NE(node, nullptr);
    EXPECT_EQ(node->memory, g["local_memory"].get<std::uint64_t>());
    total_memory += node->memory;
    const std::string subtype = g["subtype"].is_null() ? "" : g["subtype"].get<std::string>();
    EXPECT_EQ(node->subtype, subtype);
    // Memory-only nodes (no cpuset, or MCDRAM-like with its cluster's cpuset) own no CPU.
    if (subtype.empty()) {
      EXPECT_EQ(node->cpus, List(g["cpus"])) << "hwloc cpuset " << g["cpus"];
    } else {
      EXPECT_TRUE(node->cpus.empty()) << "memory-only node got " << FormatCpuList(node->cpus);
    }
    EXPECT_EQ(node->hugepages, ExpectedHugepages(g["page_types"]));
  }
  const std::vector<int> ids = m.node_ids();
  EXPECT_EQ(std::set<int>(ids.begin(), ids.end()), expected_ids);
  EXPECT_EQ(m.numa_nodes.size(), golden["numa_count"].get<std::size_t>());
  EXPECT_EQ(total_memory, golden["machine_total_memory"].get<std::uint64_t>());

  // Every CPU is owned by exactly one node and listed once.
  std::vector<int> all_cpus, node_cpus;
  std::set<std::pair<int, int>> cores;
  for (const auto& c : m.cpus) {
    all_cpus.push_back(c.id);
    cores.insert({c.socket, c.core});
    const NumaNodeInfo* owner = m.node(c.numa_node);
    ASSERT_NE(owner, nullptr);
    EXPECT_TRUE(std::binary_search(owner->cpus.begin(), owner->cpus.end(), c.id));
  }
  for (const auto& n : m.numa_nodes)
    node_cpus.insert(node_cpus.end(), n.cpus.begin(), n.cpus.end());
  std::sort(node_cpus.begin(), node_cpus.end());
  EXPECT_EQ(all_cpus, node_cpus);
  EXPECT_EQ(FormatCpuList(all_cpus), golden["machine_cpus"].get<std::string>());
  EXPECT_EQ(m.cpus.size(), golden["pus"].get<std::size_t>());
  EXPECT_EQ(m.socket_count(), golden["packages"].get<int>());
  EXPECT_EQ(cores.size(), golden["cores"].get<std::size_t>());

  const auto& latency = golden["numa_latency"];
  if (latency.is_null()) {
    EXPECT_TRUE(m.distances.empty());
    return;
  }
  const auto& order = latency["os_order"];
  ASSERT_EQ(m.distances.size(), order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(m.distances.at(order[i]).size(), order.size());
    for (std::size_t j = 0; j < order.size(); ++j) {
      EXPECT_EQ(m.distance(order[i], order[j]), latency["matrix"][i][j].get<int>())
          << "distance " << order[i] << "->" << order[j];
    }
  }
}

TEST(HwlocLoaderTest, EveryRecordedXmlMatchesGoldenValues) {
  const nlohmann::json golden = LoadGolden();
  ASSERT_TRUE(golden.is_object()) << "cannot parse expected-hwloc-2.9.json";
  std::set<std::string> golden_files, xml_files;
  for (const auto& t : golden["topologies"]) {
    golden_files.insert(t["file"].get<std::string>());
    CheckAgainstGolden(t);
  }
  const auto dir = TopologiesDir() / "hwloc";
  ASSERT_TRUE(PathExists(dir));
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".xml") xml_files.insert(entry.path().filename().string());
  }
  EXPECT_EQ(xml_files, golden_files) << "every XML needs golden values, and vice versa";
  EXPECT_FALSE(xml_files.empty());
}

// Hand-checked facts from shared/topologies/README.md.

TEST(HwlocLoaderTest, G4dnMetalReportsItsReserved2MiPools) {
  const Machine m = LoadXml("g4dnmetal.xml");
  ASSERT_FALSE(::testing::Test::HasFailure()) << "cannot load the recorded XML";
  ASSERT_EQ(m.node_ids(), (std::vector<int>{0, 1}));
  EXPECT_EQ(m.node(0)->hugepages.at(2ULL << 20), 5281ULL * (2ULL << 20));
  EXPECT_EQ(m.node(1)->hugepages.at(2ULL << 20), 5280ULL * (2ULL << 20));
  EXPECT_EQ(m.node(0)->hugepages.at(1ULL << 30), 0U);
  EXPECT_FALSE(m.node(0)->hugepages.contains(4096)) << "the base page is not a huge page";
  EXPECT_EQ(FormatCpuList(m.node(0)->cpus), "0-23,48-71");
}

TEST(HwlocLoaderTest, Arm64With64KiBasePagesKeepsOnly2MiAnd512Mi) {
  const Machine m = LoadXml("arm64-ulna-hwloc1.xml");
  ASSERT_FALSE(::testing::Test::HasFailure()) << "cannot load the recorded XML";
  for (const auto& node : m.numa_nodes) {
    std::set<std::uint64_t> sizes;
    for (const auto& [size, bytes] : node.hugepages) sizes.insert(size);
    EXPECT_EQ(sizes, (std::set<std::uint64_t>{2ULL << 20, 512ULL << 20})) << "node " << node.id;
  }
  EXPECT_EQ(m.distance(0, 1), 20);
}

TEST(HwlocLoaderTest, LogicalOrderIsNotOsOrder) {
  const Machine m = LoadXml("16amd64-4distances.xml");
  ASSERT_FALSE(::testing::Test::HasFailure()) << "cannot load the recorded XML";
  // L#0 is P#1 and owns PUs 0-1; distances must be keyed by OS index.
  EXPECT_EQ(m.node(1)->cpus, (std::vector<int>{0, 1}));
  EXPECT_EQ(m.node(0)->cpus, (std::vector<int>{2, 3}));
  EXPECT_EQ(m.distance(1, 1), 10);
  EXPECT_EQ(m.distance(1, 0), 20);
  EXPECT_EQ(m.distances.size(), 8U) << "the Package/PU/Core test matrices are ignored";
}

TEST(HwlocLoaderTest, KnlMcdramNodesAreMemoryOnly) {
  const Machine m = LoadXml("knl-snc4-flat-hwloc1.xml");
  ASSERT_FALSE(::testing::Test::HasFailure()) << "cannot load the recorded XML";
  ASSERT_EQ(m.node_ids(), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  for (int id : {4, 5, 6, 7}) {
    EXPECT_EQ(m.node(id)->subtype, "MCDRAM");
    EXPECT_TRUE(m.node(id)->cpus.empty()) << "node " << id;
    EXPECT_EQ(m.node(id)->memory, 4ULL << 30);
  }
  EXPECT_EQ(FormatCpuList(m.node(0)->cpus), "0-17,68-85,136-153,204-221");
  EXPECT_TRUE(m.distances.empty()) << "this file records no distances";
}

TEST(HwlocLoaderTest, ItaniumCpuLessNode16IsEquidistant) {
  const Machine m = LoadXml("128ia64-17n4s2c.xml");
  ASSERT_FALSE(::testing::Test::HasFailure()) << "cannot load the recorded XML";
  ASSERT_EQ(m.numa_nodes.size(), 17U);
  EXPECT_TRUE(m.node(16)->cpus.empty());
  for (int id = 0; id < 16; ++id) {
    EXPECT_EQ(m.distance(16, id), 14);
    EXPECT_EQ(m.node(id)->cpus.size(), 8U);
  }
  EXPECT_EQ(m.distance(16, 16), 10);
}

TEST(HwlocLoaderTest, CoreIdsRepeatAcrossSocketsAsCadvisorReportsThem) {
  const Machine m = LoadXml("32em64t-2n8c2t-pci-normalio.xml");
  ASSERT_FALSE(::testing::Test::HasFailure()) << "cannot load the recorded XML";
  std::map<int, std::set<int>> sockets_of_core;
  for (const auto& c : m.cpus) sockets_of_core[c.core].insert(c.socket);
  EXPECT_TRUE(std::any_of(sockets_of_core.begin(), sockets_of_core.end(),
                          [](const auto& entry) { return entry.second.size() > 1; }));
  // SMT siblings share a core: CPU 0 and CPU 16 (node 0 is 0-7,16-23).
  EXPECT_EQ(m.cpus[0].core, m.cpus[16].core);
  EXPECT_EQ(m.cpus[0].socket, m.cpus[16].socket);
}

// The minimal tree of sysfs-numa.md section 7.2: nodes 0 (CPUs 0-3) and 1 (CPUs 4-7), and
// CPU-less node 2, which hwloc attaches to package 0 with package 0's cpuset.
void WriteCpuLessNodeTree(const TempDir& tree) {
  const std::string cpu = "sys/devices/system/cpu/", node = "sys/devices/system/node/";
  tree.Write("proc/meminfo", "MemTotal: 100663296 kB\n");
  tree.Write(cpu + "online", "0-7\n");
  for (int c = 0; c < 8; ++c) {
    const std::string dir = cpu + "cpu" + std::to_string(c) + "/topology/";
    tree.Write(dir + "physical_package_id", std::to_string(c / 4) + "\n");
    tree.Write(dir + "core_id", std::to_string(c % 4) + "\n");
    tree.Write(dir + "core_cpus", std::to_string(1 << (c % 4)) + (c < 4 ? "\n" : "0\n"));
    tree.Write(dir + "package_cpus", c < 4 ? "0f\n" : "f0\n");
  }
  tree.Write(node + "online", "0-2\n");
  const char* cpulists[] = {"0-3", "4-7", ""};
  const char* cpumaps[] = {"0f", "f0", "00"};
  const char* rows[] = {"10 21 17", "21 10 28", "17 28 10"};
  const int gib[] = {16, 16, 64};
  for (int n = 0; n < 3; ++n) {
    const std::string dir = node + "node" + std::to_string(n) + "/";
    tree.Write(dir + "cpulist", std::string(cpulists[n]) + "\n");
    tree.Write(dir + "cpumap", std::string(cpumaps[n]) + "\n");
    tree.Write(dir + "distance", std::string(rows[n]) + "\n");
    tree.Write(dir + "meminfo", "Node " + std::to_string(n) +
                                    " MemTotal: " + std::to_string(gib[n] << 20) + " kB\n");
    tree.Write(dir + "hugepages/hugepages-2048kB/nr_hugepages", std::to_string(n) + "\n");
  }
  tree.Write("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "3\n");
}

TEST(HwlocLoaderTest, FsRootCpuLessNodeBesideACpuNodeOwnsNoCpu) {
  TempDir tree;
  WriteCpuLessNodeTree(tree);
  std::string error;
  auto hwloc = LoadMachineFromHwlocFsRoot(tree.path().string(), &error);
  ASSERT_TRUE(hwloc.has_value()) << error;
  ASSERT_EQ(hwloc->node_ids(), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(hwloc->node(0)->cpus, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_TRUE(hwloc->node(2)->cpus.empty());
  EXPECT_EQ(hwloc->node(2)->memory, 64ULL << 30);
  EXPECT_EQ(hwloc->node(2)->hugepages.at(2ULL << 20), 2 * (2ULL << 20));
  EXPECT_EQ(hwloc->distance(2, 1), 28);
  auto sysfs = LoadMachineFromSysfs(SysfsOptions{tree.path().string()}, &error);
  ASSERT_TRUE(sysfs.has_value()) << error;
  const auto diff = CompareMachines(*hwloc, "hwloc", *sysfs, "sysfs");
  EXPECT_TRUE(diff.empty()) << diff.size() << " differences, first: " << diff.front();
}

TEST(HwlocLoaderTest, FsRootWithoutSysFails) {
  std::string error;
  EXPECT_FALSE(LoadMachineFromHwlocFsRoot("/nonexistent-root", &error));
  EXPECT_NE(error.find("/nonexistent-root"), std::string::npos) << error;
}

TEST(HwlocLoaderTest, MissingFileNamesThePath) {
  std::string error;
  EXPECT_FALSE(LoadMachineFromHwlocXml("/nonexistent/topology.xml", &error));
  EXPECT_NE(error.find("/nonexistent/topology.xml"), std::string::npos) << error;
}

TEST(HwlocLoaderTest, MalformedXmlFailsCleanly) {
  TempDir dir;
  for (const std::string content :
       {"", "not xml at all", "<?xml version=\"1.0\"?><topology version=\"2.0\"><object",
        "<?xml version=\"1.0\"?><topology version=\"3.0\"></topology>"}) {
    dir.Write("bad.xml", content);
    const auto path = (dir.path() / "bad.xml").string();
    std::string error;
    EXPECT_FALSE(LoadMachineFromHwlocXml(path, &error)) << content;
    EXPECT_NE(error.find(path), std::string::npos) << error;
  }
  // hwloc master's version="3.0" files are refused by libhwloc 2.x; the error says so.
  dir.Write("v3.xml", "<?xml version=\"1.0\"?>\n<topology version=\"3.0\">\n</topology>\n");
  std::string error;
  EXPECT_FALSE(LoadMachineFromHwlocXml((dir.path() / "v3.xml").string(), &error));
  EXPECT_NE(error.find("version 3.0"), std::string::npos) << error;
  EXPECT_FALSE(LoadMachineFromHwlocXml(dir.path().string(), &error));
  EXPECT_NE(error.find(dir.path().string()), std::string::npos) << error;
}

TEST(HwlocLoaderTest, LiveMachineHasAllOnlineCpus) {
  std::string error;
  auto machine = LoadMachineFromLiveHwloc(&error);
  ASSERT_TRUE(machine.has_value()) << error;
  EXPECT_GE(machine->numa_nodes.size(), 1U);
  auto online = ReadListFile("/sys/devices/system/cpu/online", &error);
  ASSERT_TRUE(online.has_value()) << error;
  std::vector<int> ids;
  for (const auto& c : machine->cpus) ids.push_back(c.id);
  EXPECT_EQ(ids, *online);
}

}  // namespace
}  // namespace numalign::numa
