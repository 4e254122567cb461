// numalign-sim as a user runs it: flags, outputs, exit codes and error messages.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "sim/cluster/cluster_loader.h"
#include "sim/testing/sim_test_support.h"

namespace {

namespace fs = std::filesystem;
using TempDir = numalign::sim::testing::TempDir;

struct Result {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

Result RunSim(const std::string& args) {
  const std::string command = std::string(NUMALIGN_SIM_BINARY) + " " + args + " 2>&1";
  Result r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe))
    r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool TopologiesPresent() {
  return fs::exists(numalign::sim::DefaultTopologyDir() + "/epyc-corona.xml");
}

TEST(NumalignSimCli, HelpListsTheFlags) {
  Result r = RunSim("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* flag : {"--cluster", "--nodes", "--topologies", "--workload", "--preset",
                           "--seed", "--mode", "--output-dir", "--nrt-exporter-period"}) {
    EXPECT_NE(r.output.find(flag), std::string::npos) << flag;
  }
}

TEST(NumalignSimCli, RunsAllPlacementsAndWritesTheResultAndReport) {
  ASSERT_TRUE(TopologiesPresent()) << "missing " << numalign::sim::DefaultTopologyDir();
  TempDir dir;
  Result r = RunSim("--nodes=3 --preset=small --seed=3 --output-dir=" + dir.path().string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Plain progress lines (stdout is a pipe, not a terminal) and the summary table.
  EXPECT_NE(r.output.find("numalign: 100%"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find('\r'), std::string::npos);
  EXPECT_NE(r.output.find("placement"), std::string::npos);
  const auto doc = nlohmann::json::parse(Read(dir.path() / "result.json"));
  EXPECT_EQ(doc["schema"], "numalign-sim/v1");
  ASSERT_EQ(doc["placements"].size(), 4u);
  EXPECT_EQ(doc["placements"][3]["name"], "numalign");
  EXPECT_TRUE(doc["placements"][3].contains("timings"));
  EXPECT_TRUE(doc["placements"][3].contains("pods"));
  const std::string html = Read(dir.path() / "report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

#ifdef NUMALIGN_SIM_WITH_PROCESS_MODE
// What the README's first command runs: the real programs, from the command line, placing
// exactly what the in-process mode places.
TEST(NumalignSimCli, ProcessModeFromTheCommandLineEqualsTheInProcessMode) {
  ASSERT_TRUE(TopologiesPresent()) << "missing " << numalign::sim::DefaultTopologyDir();
  TempDir processes, in_process;
  const std::string flags =
      "--nodes=2 --topologies=g4dnmetal,epyc-corona --preset=small --seed=2 --omit-timings "
      "--placements=numalign --quiet ";
  Result p = RunSim(flags + "--mode=processes --output-dir=" + processes.path().string());
  ASSERT_EQ(p.exit_code, 0) << p.output;
  Result i = RunSim(flags + "--mode=in-process --output-dir=" + in_process.path().string());
  ASSERT_EQ(i.exit_code, 0) << i.output;
  auto numalign = [](const fs::path& dir) {
    auto doc = nlohmann::json::parse(Read(dir / "result.json"));
    EXPECT_EQ(doc["placements"].size(), 1u);
    return doc["placements"][0];
  };
  const auto a = numalign(processes.path());
  const auto b = numalign(in_process.path());
  EXPECT_EQ(a["counters"], b["counters"]);
  EXPECT_EQ(a["pods"], b["pods"]);
  EXPECT_GT(a["counters"].value("placed", 0), 0) << a["counters"].dump();
}
#endif

TEST(NumalignSimCli, OmitTimingsMakesTheResultRepeatable) {
  ASSERT_TRUE(TopologiesPresent()) << "missing " << numalign::sim::DefaultTopologyDir();
  TempDir a, b;
  const std::string flags =
      "--nodes=2 --preset=small --seed=5 --omit-timings --placements=topology-blind,numalign ";
  ASSERT_EQ(RunSim(flags + "--output-dir=" + a.path().string()).exit_code, 0);
  ASSERT_EQ(RunSim(flags + "--output-dir=" + b.path().string()).exit_code, 0);
  EXPECT_EQ(Read(a.path() / "result.json"), Read(b.path() / "result.json"));
}

TEST(NumalignSimCli, BadInputExitsTwoWithAClearMessage) {
  Result flag = RunSim("--mode=cluster");
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_NE(flag.output.find("--mode=cluster: must be in-process or processes"), std::string::npos)
      << flag.output;
  TempDir dir;
  std::ofstream(dir.path() / "cluster.yaml") << "nodes:\n- name: a\n  topology: epyc-corona\n"
                                                "  count: -1\n";
  Result cluster = RunSim("--cluster=" + (dir.path() / "cluster.yaml").string());
  EXPECT_EQ(cluster.exit_code, 2);
  EXPECT_NE(cluster.output.find("nodes[0].count: must be an integer from 1 to 100000"),
            std::string::npos)
      << cluster.output;
  std::ofstream(dir.path() / "w.yaml") << "arrivalRate: 1\npodClasses: [{name: a}]\n";
  Result workload = RunSim("--nodes=1 --workload=" + (dir.path() / "w.yaml").string());
  EXPECT_EQ(workload.exit_code, 2);
  EXPECT_NE(workload.output.find("podClasses[0].containers: at least one container"),
            std::string::npos)
      << workload.output;
  Result missing = RunSim("--nodes=1 --workload=/nonexistent/w.yaml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("cannot read workload file /nonexistent/w.yaml"),
            std::string::npos);
}

}  // namespace
