#include "numa/topology/sysfs_files.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "numa/topology/topology_test_fixtures.h"

namespace numalign::numa {
namespace {

using testing::TempDir;

TEST(SysfsFilesTest, ReadsProcAndNodeMeminfo) {
  TempDir dir;
  dir.Write("proc", "MemTotal:       24684092 kB\nMemFree:        22656696 kB\n");
  dir.Write("node", "Node 0 MemTotal:     100057088 kB\nNode 0 Active(anon): 1 kB\n");
  std::string error;
  EXPECT_EQ(ReadMeminfoBytes(dir.path() / "proc", "MemTotal", &error), 24684092ULL * 1024);
  EXPECT_EQ(ReadMeminfoBytes(dir.path() / "node", "MemTotal", &error), 100057088ULL * 1024);
  EXPECT_EQ(ReadMeminfoBytes(dir.path() / "node", "Active(anon)", &error), 1024U);
  EXPECT_FALSE(ReadMeminfoBytes(dir.path() / "proc", "Hugetlb", &error));
  EXPECT_NE(error.find("no Hugetlb line"), std::string::npos) << error;
}

TEST(SysfsFilesTest, FirstLineIgnoresStrayLinesAndNuls) {
  TempDir dir;
  dir.Write("online", std::string("0-7\n \n\0", 7));
  std::string error;
  EXPECT_EQ(ReadFirstLine(dir.path() / "online", &error), "0-7");
  EXPECT_EQ(ReadListFile(dir.path() / "online", &error)->size(), 8U);
}

TEST(SysfsFilesTest, ErrorsNameTheFile) {
  TempDir dir;
  dir.Write("int", "12abc\n");
  std::string error;
  EXPECT_FALSE(ReadIntFile(dir.path() / "int", &error));
  EXPECT_NE(error.find((dir.path() / "int").string()), std::string::npos) << error;
  EXPECT_NE(error.find("12abc"), std::string::npos) << error;
  EXPECT_FALSE(ReadIntFile(dir.path() / "missing", &error));
  EXPECT_NE(error.find("missing: cannot open"), std::string::npos) << error;
  EXPECT_FALSE(ReadTextFile(dir.path(), &error));
  EXPECT_NE(error.find("is a directory"), std::string::npos) << error;
}

TEST(SysfsFilesTest, MissingSharedDataFailsWithThePath) {
  const auto result = testing::PathExists("/nonexistent/shared/topologies/hwloc");
  EXPECT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("/nonexistent/shared/topologies/hwloc"),
            std::string::npos);
  EXPECT_NE(std::string(result.message()).find("NUMALIGN_SHARED"), std::string::npos);
}

TEST(SysfsFilesTest, SharedDirComesFromTheEnvironmentFirst) {
  const char* old = std::getenv("NUMALIGN_SHARED");
  const std::string saved = old ? old : "";
  setenv("NUMALIGN_SHARED", "/elsewhere", 1);
  EXPECT_EQ(testing::TopologiesDir(), std::filesystem::path("/elsewhere/topologies"));
  if (old) {
    setenv("NUMALIGN_SHARED", saved.c_str(), 1);
  } else {
    unsetenv("NUMALIGN_SHARED");
  }
}

}  // namespace
}  // namespace numalign::numa
