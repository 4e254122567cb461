#include "controller/controller_flags.h"

#include <gtest/gtest.h>

namespace numalign::controller {
namespace {

using namespace std::chrono_literals;

TEST(ControllerFlags, Defaults) {
  auto o = ParseControllerFlags({});
  EXPECT_EQ(o.leader_election.resource_name, "numalign-controller");
  EXPECT_TRUE(o.leader_election.leader_elect);
  EXPECT_EQ(o.nrt.stale_after, 3min);
  EXPECT_EQ(o.defragmentation.mode, DefragmentMode::kDryRun);
  EXPECT_NE(o.help_text.find("--leader-elect-lease-duration"), std::string::npos);
}

TEST(ControllerFlags, ParsesKubeletStyleFlags) {
  auto o =
      ParseControllerFlags({"--stale-after=90s", "--defragment=evict", "--recovery-backoff-base=1s",
                            "--recovery-backoff-max=1m", "--leader-elect-lease-duration=4s",
                            "--leader-elect-renew-deadline=3s", "--leader-elect-retry-period=1s",
                            "--v=3", "--logging-format=json"});
  EXPECT_EQ(o.nrt.stale_after, 90s);
  EXPECT_EQ(o.defragmentation.mode, DefragmentMode::kEvict);
  EXPECT_EQ(o.recovery.backoff.max, 1min);
  EXPECT_EQ(o.leader_election.lease_duration, 4s);
  EXPECT_EQ(o.verbosity, 3);
  EXPECT_EQ(o.log_format, "json");
}

TEST(ControllerFlags, BadValuesNameTheFlag) {
  EXPECT_THROW(ParseControllerFlags({"--defragment=maybe"}), std::invalid_argument);
  EXPECT_THROW(ParseControllerFlags({"--stale-after=soon"}), std::invalid_argument);
  EXPECT_THROW(ParseControllerFlags({"--no-such-flag"}), std::invalid_argument);
  EXPECT_THROW(ParseControllerFlags({"--recovery-backoff-base=1m", "--recovery-backoff-max=1s"}),
               std::invalid_argument);
  EXPECT_THROW(ParseControllerFlags({"--metrics-bind-address=10259"}), std::invalid_argument);
  EXPECT_THROW(ParseControllerFlags({"--health-port=-1"}), std::invalid_argument);
  EXPECT_THROW(ParseControllerFlags({"--log-format=xml"}), std::invalid_argument);
  EXPECT_THROW(ParseControllerFlags({"--logging-format=xml"}), std::invalid_argument);
  EXPECT_EQ(ParseControllerFlags({"--log-format=json"}).log_format, "json");  // deprecated alias
  EXPECT_NO_THROW(ParseControllerFlags({"--metrics-bind-address=0", "--health-port=0"}));
}

}  // namespace
}  // namespace numalign::controller
