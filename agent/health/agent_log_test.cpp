#include "agent/health/agent_log.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "common/logging/log.h"
#include "tests/support/temp_dir.h"

namespace numalign::agent {
namespace {

// What the agent's logger writes to stderr while `write` runs, configured as main() does for
// --logging-format=json and --v=`verbosity`: one entry per line.
template <typename Write>
std::vector<std::string> JsonLinesOnStderr(int verbosity, Write write) {
  test_support::TempDir dir("agentlog");
  const std::string path = dir / "stderr";
  std::fflush(stderr);
  const int saved = ::dup(STDERR_FILENO);
  const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::dup2(file, STDERR_FILENO);
  ::close(file);
  logging::configure(logging::Format::kJson, verbosity);
  write();
  spdlog::default_logger()->flush();
  std::fflush(stderr);
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  logging::set_verbosity(0);

  std::vector<std::string> lines;
  std::istringstream in(dir.Read("stderr"));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(AgentLog, OneJsonObjectPerLineEvenWithBadUtf8) {
  const auto lines = JsonLinesOnStderr(0, [] {
    LogAtLevel("warning", "pod \xff pinned");
    logging::info("machine discovered", {{"node", "n"}, {"cpus", "96"}});
  });
  ASSERT_EQ(lines.size(), 2U);
  const auto warning = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(warning["level"], "warning");
  EXPECT_EQ(warning["msg"], "pod \xEF\xBF\xBD pinned");  // U+FFFD for the invalid byte
  EXPECT_TRUE(warning.contains("ts"));
  const auto info = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(info["level"], "info");
  EXPECT_EQ(info["msg"], "machine discovered");
  EXPECT_EQ(info["node"], "n");
  EXPECT_EQ(info["cpus"], "96");
}

TEST(AgentLog, LevelsMapToTheSharedLoggerAndDebugNeedsVerbosityTwo) {
  const auto quiet = JsonLinesOnStderr(1, [] {
    LogAtLevel("error", "checkpoint write failed");
    LogAtLevel("info", "pinned");
    LogAtLevel("debug", "detail");
  });
  ASSERT_EQ(quiet.size(), 2U);
  EXPECT_EQ(nlohmann::json::parse(quiet[0])["level"], "error");
  EXPECT_EQ(nlohmann::json::parse(quiet[1])["level"], "info");

  const auto verbose = JsonLinesOnStderr(2, [] { LogAtLevel("debug", "detail"); });
  ASSERT_EQ(verbose.size(), 1U);
  EXPECT_EQ(nlohmann::json::parse(verbose[0])["msg"], "detail");
}

}  // namespace
}  // namespace numalign::agent
