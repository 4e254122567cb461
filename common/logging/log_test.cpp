#include "common/logging/log.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace numalign::logging {
namespace {

TEST(Logging, RendersKlogStyleKeyValues) {
  EXPECT_EQ(render(Format::kText, "Filter",
                   {{"pod", "default/p"}, {"reason", "two words"}, {"empty", ""}}),
            R"("Filter" pod=default/p reason="two words" empty="")");
}

TEST(Logging, RendersJsonFieldsThatParse) {
  const auto line = "{" + render(Format::kJson, "Bind \"failed\"", {{"error", "x\ny"}}) + "}";
  const auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["msg"], "Bind \"failed\"");
  EXPECT_EQ(parsed["error"], "x\ny");
}

TEST(Logging, VerbosityGatesDetail) {
  set_verbosity(2);
  EXPECT_TRUE(v(2));
  EXPECT_FALSE(v(4));
  set_verbosity(0);
  configure(Format::kText, 0);
  configure(Format::kJson, 0);  // reconfiguring must not throw
  configure(Format::kText, 0);
}

}  // namespace
}  // namespace numalign::logging

namespace numalign::logging {
namespace {

// Code that calls spdlog directly (kube/'s client, libraries) must not break the JSON stream:
// every stderr line is one JSON object, its free text the "msg" string.
TEST(Logging, EveryJsonLineParsesWhoeverLogsIt) {
  ::testing::internal::CaptureStderr();
  configure(Format::kJson, 0);
  info("Structured", {{"node", "n1"}});
  spdlog::warn("plain {} with \"quotes\", a {} and \\ backslash", 3, "brace}");
  spdlog::default_logger()->flush();
  configure(Format::kText, 0);
  const std::string captured = ::testing::internal::GetCapturedStderr();
  std::vector<nlohmann::json> lines;
  std::size_t begin = 0;
  for (std::size_t end; (end = captured.find('\n', begin)) != std::string::npos; begin = end + 1) {
    const std::string line = captured.substr(begin, end - begin);
    ASSERT_NO_THROW(lines.push_back(nlohmann::json::parse(line))) << line;
  }
  ASSERT_EQ(lines.size(), 2u) << captured;
  EXPECT_EQ(lines[0]["msg"], "Structured");
  EXPECT_EQ(lines[0]["node"], "n1");
  EXPECT_EQ(lines[0]["level"], "info");
  EXPECT_EQ(lines[1]["msg"], "plain 3 with \"quotes\", a brace} and \\ backslash");
  EXPECT_EQ(lines[1]["level"], "warning");
}

}  // namespace
}  // namespace numalign::logging
