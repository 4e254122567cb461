#include "numa/topology/sysfs_loader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>

#include "numa/topology/cpu_list.h"
#include "numa/topology/hwloc_loader.h"
#include "numa/topology/topology_diff.h"
#include "numa/topology/topology_test_fixtures.h"

namespace numalign::numa {
namespace {

using testing::ExtractTarball;
using testing::PathExists;
using testing::TempDir;
using testing::TopologiesDir;

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n  " + l;
  return out;
}

// The recorded trees of shared/topologies/hwloc-sysfs, extracted once for the whole suite.
class SysfsRecordedTreesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = std::make_unique<TempDir>(); }
  static void TearDownTestSuite() { dir_.reset(); }

  // Extracts (once) the tarball and returns its fake root; fails the test if it cannot.
  static std::string Root(const std::string& tarball, const std::string& top_dir) {
    const auto path = TopologiesDir() / "hwloc-sysfs" / tarball;
    EXPECT_TRUE(PathExists(path));
    const auto top = dir_->path() / top_dir;
    if (std::filesystem::is_directory(top)) return top.string();
    const auto extracted = ExtractTarball(path, dir_->path(), top_dir);
    EXPECT_FALSE(extracted.empty()) << "could not extract " << path << " into " << dir_->path();
    return top.string();  // a missing directory when extraction failed: loads then fail too
  }

  static Machine LoadSysfs(const std::string& root) {
    std::string error;
    auto machine = LoadMachineFromSysfs(SysfsOptions{root}, &error);
    EXPECT_TRUE(machine.has_value()) << error;
    return machine.value_or(Machine{});
  }

  static Machine LoadHwloc(const std::string& root) {
    std::string error;
    auto machine = LoadMachineFromHwlocFsRoot(root, &error);
    EXPECT_TRUE(machine.has_value()) << error;
    return machine.value_or(Machine{});
  }

  static inline std::unique_ptr<TempDir> dir_;
};

struct RecordedTree {
  const char* tarball;
  const char* top_dir;
};

constexpr RecordedTree kRecordedTrees[] = {
    {"64amd64-4s2n4ca2co.tar.bz2", "64amd64-4s2n4ca2co"},
    {"32amd64-4s2n4c-cgroup2.tar.bz2", "32amd64-4s2n4c-cgroup"},
    {"nvidiagpunumanodes.tar.bz2", "nvidiagpunumanodes"},
    {"128ia64-17n4s2c.tar.bz2", "128ia64-17n4s2c"},
};

TEST_F(SysfsRecordedTreesTest, EveryTreeAgreesWithHwlocReadingTheSameTree) {
  std::set<std::string> known, present;
  for (const auto& tree : kRecordedTrees) {
    SCOPED_TRACE(tree.tarball);
    known.insert(tree.tarball);
    const std::string root = Root(tree.tarball, tree.top_dir);
    const Machine sysfs = LoadSysfs(root);
    const Machine hwloc = LoadHwloc(root);
    EXPECT_FALSE(sysfs.numa_nodes.empty());
    EXPECT_FALSE(sysfs.cpus.empty());
    const auto diff = CompareMachines(sysfs, "sysfs", hwloc, "hwloc");
    EXPECT_TRUE(diff.empty()) << Join(diff);
  }
  const auto dir = TopologiesDir() / "hwloc-sysfs";
  ASSERT_TRUE(PathExists(dir));
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    present.insert(entry.path().filename().string());
  }
  EXPECT_EQ(present, known) << "a new recorded tree needs an entry in kRecordedTrees";
}

TEST_F(SysfsRecordedTreesTest, Power9GpuMemoryNodesAreSparseAndCpuLess) {
  const Machine m = LoadSysfs(Root("nvidiagpunumanodes.tar.bz2", "nvidiagpunumanodes"));
  ASSERT_EQ(m.node_ids(), (std::vector<int>{0, 8, 250, 251, 252, 253, 254, 255}));
  // node0/cpulist = 0-87 and node8 = 88-175, but only 0-15,88-103 are online.
  EXPECT_EQ(FormatCpuList(m.node(0)->cpus), "0-15");
  EXPECT_EQ(FormatCpuList(m.node(8)->cpus), "88-103");
  EXPECT_EQ(m.cpus.size(), 32U);
  for (int id = 250; id <= 255; ++id) {
    EXPECT_TRUE(m.node(id)->cpus.empty()) << id;
    EXPECT_EQ(m.node(id)->memory, 15728640ULL * 1024) << id;
    EXPECT_EQ(m.distance(id, id), 10) << "columns follow the online list, not node ids";
    EXPECT_EQ(m.distance(id, 0), 80);
  }
  EXPECT_EQ(m.distance(0, 8), 40);
  EXPECT_EQ(m.distance(8, 0), 40);
  EXPECT_EQ(m.node(0)->hugepages,
            (std::map<std::uint64_t, std::uint64_t>{{2ULL << 20, 0}, {1ULL << 30, 0}}));
}

TEST_F(SysfsRecordedTreesTest, ItaniumWithOnlyCpumapAndNoNodeOnlineFile) {
  const std::string root = Root("128ia64-17n4s2c.tar.bz2", "128ia64-17n4s2c");
  ASSERT_FALSE(std::filesystem::exists(root + "/sys/devices/system/node/online"));
  ASSERT_FALSE(std::filesystem::exists(root + "/sys/devices/system/node/node0/cpulist"));
  const Machine m = LoadSysfs(root);
  ASSERT_EQ(m.numa_nodes.size(), 17U);
  EXPECT_EQ(m.cpus.size(), 128U);
  EXPECT_TRUE(m.node(16)->cpus.empty());
  EXPECT_EQ(m.node(16)->memory, 1020176ULL * 1024);
  for (int id = 0; id < 16; ++id) {
    EXPECT_EQ(m.distance(16, id), 14);
    EXPECT_EQ(FormatCpuList(m.node(id)->cpus),
              std::to_string(8 * id) + "-" + std::to_string(8 * id + 7));
  }
  EXPECT_EQ(m.distance(16, 16), 10);
  EXPECT_EQ(m.socket_count(), 64);
}

TEST_F(SysfsRecordedTreesTest, ItaniumTreeMatchesTheXmlHwlocMadeFromIt) {
  const Machine sysfs = LoadSysfs(Root("128ia64-17n4s2c.tar.bz2", "128ia64-17n4s2c"));
  const auto xml = TopologiesDir() / "hwloc" / "128ia64-17n4s2c.xml";
  ASSERT_TRUE(PathExists(xml));
  std::string error;
  auto from_xml = LoadMachineFromHwlocXml(xml.string(), &error);
  ASSERT_TRUE(from_xml.has_value()) << error;
  const auto diff = CompareMachines(sysfs, "sysfs", *from_xml, "xml");
  EXPECT_TRUE(diff.empty()) << Join(diff);
}

TEST_F(SysfsRecordedTreesTest, OpteronDistancesAndStrayLinesInNodeOnline) {
  const Machine m = LoadSysfs(Root("64amd64-4s2n4ca2co.tar.bz2", "64amd64-4s2n4ca2co"));
  ASSERT_EQ(m.node_ids(), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(m.cpus.size(), 64U);
  for (int from : m.node_ids()) {
    for (int to : m.node_ids()) {
      const int d = m.distance(from, to).value_or(-1);
      EXPECT_TRUE(from == to ? d == 10 : (d == 16 || d == 22)) << from << "->" << to << " " << d;
    }
  }
}

TEST_F(SysfsRecordedTreesTest, CgroupRestrictionDoesNotHideHardware) {
  // The recording's process is confined to CPUs 0-5 and nodes 0-5; the machine has 8 nodes.
  const Machine m = LoadSysfs(Root("32amd64-4s2n4c-cgroup2.tar.bz2", "32amd64-4s2n4c-cgroup"));
  EXPECT_EQ(m.numa_nodes.size(), 8U);
  EXPECT_EQ(m.cpus.size(), 32U);
}

// Hand-made trees for the formats and failure modes the recordings do not cover.
class SysfsFakeTreeTest : public ::testing::Test {
 protected:
  // Two nodes, CPUs 0-3: node0 = 0-1, node1 = 2-3 (SMT pairs, one socket each).
  void WriteTwoNodeMachine() {
    tree_.Write("sys/devices/system/cpu/online", "0-3\n");
    for (int cpu = 0; cpu < 4; ++cpu) {
      const std::string dir = "sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
      tree_.Write(dir + "core_id", "0\n");
      tree_.Write(dir + "physical_package_id", std::to_string(cpu / 2) + "\n");
    }
    tree_.Write("sys/devices/system/node/online", "0-1\n");
    tree_.Write(Node(0) + "cpulist", "0-1\n");
    tree_.Write(Node(1) + "cpulist", "2-3\n");
    tree_.Write(Node(0) + "meminfo", "Node 0 MemTotal:  1024 kB\nNode 0 MemFree: 512 kB\n");
    tree_.Write(Node(1) + "meminfo", "Node 1 MemTotal:  2048 kB\n");
    tree_.Write(Node(0) + "distance", "10 21\n");
    tree_.Write(Node(1) + "distance", "21 10\n");
  }
  static std::string Node(int id) {
    return "sys/devices/system/node/node" + std::to_string(id) + "/";
  }
  std::optional<Machine> Load() {
    error_.clear();
    return LoadMachineFromSysfs(SysfsOptions{tree_.path().string()}, &error_);
  }
  // Loading fails and the message names `file` (relative to the root).
  void ExpectErrorNaming(const std::string& file) {
    EXPECT_FALSE(Load().has_value());
    EXPECT_NE(error_.find(file), std::string::npos) << "error: " << error_;
  }

  TempDir tree_;
  std::string error_;
};

TEST_F(SysfsFakeTreeTest, LoadsTheBasicShape) {
  WriteTwoNodeMachine();
  auto m = Load();
  ASSERT_TRUE(m.has_value()) << error_;
  EXPECT_EQ(m->node(0)->cpus, (std::vector<int>{0, 1}));
  EXPECT_EQ(m->node(1)->memory, 2048U * 1024);
  EXPECT_EQ(m->distance(0, 1), 21);
  EXPECT_EQ(m->cpus[3], (LogicalCpu{3, 0, 1, 1}));
  EXPECT_TRUE(m->node(0)->hugepages.empty());
}

TEST_F(SysfsFakeTreeTest, HugepagePoolsPerSizeAndNode) {
  WriteTwoNodeMachine();
  tree_.Write("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "6\n");
  tree_.Write("sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "1\n");
  tree_.Write(Node(0) + "hugepages/hugepages-2048kB/nr_hugepages", "4\n");
  tree_.Write(Node(0) + "hugepages/hugepages-1048576kB/nr_hugepages", "1\n");
  tree_.Write(Node(1) + "hugepages/hugepages-2048kB/nr_hugepages", "2\n");
  tree_.Write(Node(1) + "hugepages/hugepages-1048576kB/nr_hugepages", "0\n");
  auto m = Load();
  ASSERT_TRUE(m.has_value()) << error_;
  using Pools = std::map<std::uint64_t, std::uint64_t>;
  EXPECT_EQ(m->node(0)->hugepages, (Pools{{2ULL << 20, 8ULL << 20}, {1ULL << 30, 1ULL << 30}}));
  EXPECT_EQ(m->node(1)->hugepages, (Pools{{2ULL << 20, 4ULL << 20}, {1ULL << 30, 0}}));
}

TEST_F(SysfsFakeTreeTest, OldKernelFormats) {
  WriteTwoNodeMachine();
  // No node/online, no cpu/online, cpumap only; a stray line after the first does not matter.
  std::filesystem::remove(tree_.path() / "sys/devices/system/node/online");
  std::filesystem::remove(tree_.path() / "sys/devices/system/cpu/online");
  std::filesystem::remove(tree_.path() / Node(0) / "cpulist");
  std::filesystem::remove(tree_.path() / Node(1) / "cpulist");
  tree_.Write(Node(0) + "cpumap", "00000000,00000003\n");
  tree_.Write(Node(1) + "cpumap", "00000000,0000000c\n \n");
  tree_.Write("sys/devices/system/cpu/cpu3/online", "0\n");  // offline
  auto m = Load();
  ASSERT_TRUE(m.has_value()) << error_;
  EXPECT_EQ(m->node(0)->cpus, (std::vector<int>{0, 1}));
  EXPECT_EQ(m->node(1)->cpus, (std::vector<int>{2}));
  EXPECT_EQ(m->cpus.size(), 3U);
}

TEST_F(SysfsFakeTreeTest, NodeOnlineWithTrailingJunkAndSparseIds) {
  WriteTwoNodeMachine();
  // Rename node1 to node8: distance columns still follow the online list (0, 8).
  std::filesystem::rename(tree_.path() / Node(1), tree_.path() / Node(8));
  tree_.Write("sys/devices/system/node/online", std::string("0,8\n \n\0junk", 12));
  auto m = Load();
  ASSERT_TRUE(m.has_value()) << error_;
  EXPECT_EQ(m->node_ids(), (std::vector<int>{0, 8}));
  EXPECT_EQ(m->distance(8, 0), 21);
  EXPECT_EQ(m->distance(8, 8), 10);
}

TEST_F(SysfsFakeTreeTest, OfflineCpusInNodeListsAreDropped) {
  WriteTwoNodeMachine();
  tree_.Write("sys/devices/system/cpu/online", "0-2\n");
  auto m = Load();
  ASSERT_TRUE(m.has_value()) << error_;
  EXPECT_EQ(m->node(1)->cpus, (std::vector<int>{2}));
}

TEST_F(SysfsFakeTreeTest, NoNumaSupportIsOneNode) {
  tree_.Write("sys/devices/system/cpu/online", "0-1\n");
  for (int cpu = 0; cpu < 2; ++cpu) {
    const std::string dir = "sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
    tree_.Write(dir + "core_id", std::to_string(cpu) + "\n");
    tree_.Write(dir + "physical_package_id", "0\n");
  }
  tree_.Write("proc/meminfo", "MemTotal:       4096 kB\nMemFree: 1 kB\n");
  auto m = Load();
  ASSERT_TRUE(m.has_value()) << error_;
  EXPECT_EQ(m->node_ids(), (std::vector<int>{0}));
  EXPECT_EQ(m->node(0)->cpus, (std::vector<int>{0, 1}));
  EXPECT_EQ(m->node(0)->memory, 4096U * 1024);
  EXPECT_TRUE(m->distances.empty());
}

TEST_F(SysfsFakeTreeTest, MissingRootFails) {
  std::string error;
  EXPECT_FALSE(LoadMachineFromSysfs(SysfsOptions{"/nonexistent-root"}, &error));
  EXPECT_NE(error.find("/nonexistent-root"), std::string::npos) << error;
}

TEST_F(SysfsFakeTreeTest, GarbageCpulistNamesTheFile) {
  WriteTwoNodeMachine();
  tree_.Write(Node(1) + "cpulist", "2-x\n");
  ExpectErrorNaming("node1/cpulist");
}

TEST_F(SysfsFakeTreeTest, GarbageCpumapNamesTheFile) {
  WriteTwoNodeMachine();
  std::filesystem::remove(tree_.path() / Node(1) / "cpulist");
  tree_.Write(Node(1) + "cpumap", "zz,00000000\n");
  ExpectErrorNaming("node1/cpumap");
}

TEST_F(SysfsFakeTreeTest, DistanceRowOfWrongLengthNamesTheFile) {
  WriteTwoNodeMachine();
  tree_.Write(Node(1) + "distance", "21 10 17\n");
  ExpectErrorNaming("node1/distance");
}

TEST_F(SysfsFakeTreeTest, GarbageDistanceNamesTheFile) {
  WriteTwoNodeMachine();
  tree_.Write(Node(0) + "distance", "10 abc\n");
  ExpectErrorNaming("node0/distance");
}

TEST_F(SysfsFakeTreeTest, OneMissingDistanceFileNamesIt) {
  WriteTwoNodeMachine();
  std::filesystem::remove(tree_.path() / Node(1) / "distance");
  ExpectErrorNaming("node1/distance");
}

TEST_F(SysfsFakeTreeTest, MissingOrMalformedMemTotalNamesTheFile) {
  WriteTwoNodeMachine();
  tree_.Write(Node(1) + "meminfo", "Node 1 MemFree: 12 kB\n");
  ExpectErrorNaming("node1/meminfo");
  tree_.Write(Node(1) + "meminfo", "Node 1 MemTotal: lots kB\n");
  ExpectErrorNaming("node1/meminfo");
  std::filesystem::remove(tree_.path() / Node(1) / "meminfo");
  ExpectErrorNaming("node1/meminfo");
}

TEST_F(SysfsFakeTreeTest, NodeListedButMissingNamesIt) {
  WriteTwoNodeMachine();
  tree_.Write("sys/devices/system/node/online", "0-2\n");
  ExpectErrorNaming("node2");
}

TEST_F(SysfsFakeTreeTest, GarbageTopologyNamesTheFile) {
  WriteTwoNodeMachine();
  tree_.Write("sys/devices/system/cpu/cpu2/topology/core_id", "\x01\x02garbage");
  ExpectErrorNaming("cpu2/topology/core_id");
  std::filesystem::remove(tree_.path() / "sys/devices/system/cpu/cpu2/topology/core_id");
  ExpectErrorNaming("cpu2/topology/core_id");
}

TEST_F(SysfsFakeTreeTest, GarbageHugepageCountNamesTheFile) {
  WriteTwoNodeMachine();
  tree_.Write(Node(0) + "hugepages/hugepages-2048kB/nr_hugepages", "-\n");
  ExpectErrorNaming("hugepages-2048kB/nr_hugepages");
}

TEST_F(SysfsFakeTreeTest, GarbageOnlineListsNameTheFile) {
  WriteTwoNodeMachine();
  tree_.Write("sys/devices/system/cpu/online", "0-3-5\n");
  ExpectErrorNaming("cpu/online");
  tree_.Write("sys/devices/system/cpu/online", "0-3\n");
  tree_.Write("sys/devices/system/node/online", "9-1\n");
  ExpectErrorNaming("node/online");
}

TEST_F(SysfsFakeTreeTest, KernelWithoutPerNodeHugepageDirs) {
  // Before 2.6.32 only the machine-wide pool exists; its split over several nodes is unknown.
  WriteTwoNodeMachine();
  tree_.Write("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "513\n");
  auto m = Load();
  ASSERT_TRUE(m.has_value()) << error_;
  EXPECT_TRUE(m->node(0)->hugepages.empty());
  EXPECT_TRUE(m->node(1)->hugepages.empty());
  // With a single node the whole pool is that node's.
  std::filesystem::remove_all(tree_.path() / Node(1));
  tree_.Write("sys/devices/system/node/online", "0\n");
  tree_.Write(Node(0) + "cpulist", "0-3\n");
  tree_.Write(Node(0) + "distance", "10\n");
  m = Load();
  ASSERT_TRUE(m.has_value()) << error_;
  EXPECT_EQ(m->node(0)->hugepages,
            (std::map<std::uint64_t, std::uint64_t>{{2ULL << 20, 513ULL * (2ULL << 20)}}));
}

// Whatever garbage any single file holds, loading returns a machine or an error naming a path.
TEST_F(SysfsFakeTreeTest, GarbageInAnyFileNeverCrashes) {
  WriteTwoNodeMachine();
  tree_.Write(Node(0) + "hugepages/hugepages-2048kB/nr_hugepages", "1\n");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(tree_.path())) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  ASSERT_GT(files.size(), 10U);
  const std::string garbage[] = {"",
                                 "\n",
                                 std::string(3, '\0'),
                                 "-1\n",
                                 "99999999999999999999\n",
                                 "0-\n",
                                 ",,,\n",
                                 "\xff\xfe\x01",
                                 std::string(5000, '7'),
                                 "1 2 3 4 5 6 7 8 9 10\n"};
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string original((std::istreambuf_iterator<char>(in)), {});
    for (const auto& bad : garbage) {
      std::ofstream(file, std::ios::binary | std::ios::trunc) << bad;
      auto m = Load();
      if (!m) {
        EXPECT_NE(error_.find(tree_.path().string()), std::string::npos)
            << file << " <- '" << bad.substr(0, 20) << "': " << error_;
      }
    }
    std::ofstream(file, std::ios::binary | std::ios::trunc) << original;
  }
  EXPECT_TRUE(Load().has_value()) << error_;
}

TEST_F(SysfsFakeTreeTest, EmptyOnlineListsNameTheFile) {
  WriteTwoNodeMachine();
  tree_.Write("sys/devices/system/node/online", "\n");
  ExpectErrorNaming("node/online");
  tree_.Write("sys/devices/system/node/online", "0-1\n");
  tree_.Write("sys/devices/system/cpu/online", "");
  ExpectErrorNaming("cpu/online");
}

TEST_F(SysfsFakeTreeTest, CpuInTwoNodesFails) {
  WriteTwoNodeMachine();
  tree_.Write(Node(1) + "cpulist", "1-3\n");
  ExpectErrorNaming("node1");
}

}  // namespace
}  // namespace numalign::numa
