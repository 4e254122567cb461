#include "common/logging/log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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
