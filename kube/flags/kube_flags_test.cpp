#include "kube/flags/kube_flags.h"

#include <gtest/gtest.h>

#include <boost/program_options/parsers.hpp>

#include "kube/flags/duration.h"

namespace numalign::kube {
namespace {

namespace po = boost::program_options;
using namespace std::chrono_literals;

TEST(GoDurationTest, ParsesAndFormats) {
  EXPECT_EQ(ParseGoDuration("15s"), 15000ms);
  EXPECT_EQ(ParseGoDuration("1m30s"), 90000ms);
  EXPECT_EQ(ParseGoDuration("500ms"), 500ms);
  EXPECT_EQ(ParseGoDuration("1.5s"), 1500ms);
  EXPECT_EQ(ParseGoDuration("2h"), std::chrono::milliseconds(2h));
  EXPECT_EQ(ParseGoDuration("0"), 0ms);
  EXPECT_FALSE(ParseGoDuration("15"));
  EXPECT_FALSE(ParseGoDuration("s"));
  EXPECT_FALSE(ParseGoDuration("10x"));
  EXPECT_EQ(FormatGoDuration(15000ms), "15s");
  EXPECT_EQ(FormatGoDuration(90000ms), "1m30s");
  EXPECT_EQ(FormatGoDuration(1500ms), "1.5s");
  EXPECT_EQ(FormatGoDuration(250ms), "250ms");
}

TEST(KubeFlagsTest, RegistersTheKubernetesFlagNames) {
  ConfigSource source;
  ClientOptions client;
  LeaderElectionOptions election;
  po::options_description description;
  AddClientFlags(description, source, client);
  AddLeaderElectionFlags(description, election);
  const char* argv[] = {"prog",
                        "--kubeconfig=/tmp/kc",
                        "--kube-api-qps=50",
                        "--kube-api-burst=100",
                        "--leader-elect=false",
                        "--leader-elect-lease-duration=30s",
                        "--leader-elect-renew-deadline=20s",
                        "--leader-elect-retry-period=4s",
                        "--leader-elect-resource-name=numalign-controller",
                        "--leader-elect-resource-namespace=numalign-system"};
  po::variables_map values;
  po::store(po::parse_command_line(static_cast<int>(std::size(argv)), argv, description), values);
  po::notify(values);
  ApplyLeaderElectionFlags(values, election);
  EXPECT_EQ(source.kubeconfig, "/tmp/kc");
  EXPECT_EQ(client.qps, 50);
  EXPECT_EQ(client.burst, 100);
  EXPECT_FALSE(election.leader_elect);
  EXPECT_EQ(election.lease_duration, 30s);
  EXPECT_EQ(election.renew_deadline, 20s);
  EXPECT_EQ(election.retry_period, 4s);
  EXPECT_EQ(election.resource_name, "numalign-controller");
  EXPECT_EQ(election.resource_namespace, "numalign-system");
}

TEST(KubeFlagsTest, DefaultsMatchClientGo) {
  LeaderElectionOptions election;
  po::options_description description;
  AddLeaderElectionFlags(description, election);
  const char* argv[] = {"prog", "--leader-elect-retry-period=bogus"};
  po::variables_map values;
  po::store(po::parse_command_line(2, argv, description), values);
  po::notify(values);
  EXPECT_THROW(ApplyLeaderElectionFlags(values, election), std::invalid_argument);
  EXPECT_EQ(election.lease_duration, 15s);
  EXPECT_EQ(election.renew_deadline, 10s);
}

}  // namespace
}  // namespace numalign::kube

namespace numalign::kube {
namespace {

std::string LoggingFormatOf(std::vector<std::string> args) {
  boost::program_options::options_description description;
  AddLoggingFormatFlags(description, "text");
  std::vector<const char*> argv{"prog"};
  for (const auto& a : args) argv.push_back(a.c_str());
  boost::program_options::variables_map values;
  boost::program_options::store(boost::program_options::parse_command_line(
                                    static_cast<int>(argv.size()), argv.data(), description),
                                values);
  boost::program_options::notify(values);
  return ApplyLoggingFormatFlags(values);
}

TEST(KubeFlagsTest, LoggingFormatWithItsDeprecatedAlias) {
  EXPECT_EQ(LoggingFormatOf({}), "text");
  EXPECT_EQ(LoggingFormatOf({"--logging-format=json"}), "json");
  EXPECT_EQ(LoggingFormatOf({"--log-format=json"}), "json");  // alias: not lost to the default
  EXPECT_EQ(LoggingFormatOf({"--log-format=json", "--logging-format=text"}), "text");
  try {
    LoggingFormatOf({"--log-format=xml"});
    ADD_FAILURE() << "xml accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--log-format: want text or json, got \"xml\"");
  }
}

}  // namespace
}  // namespace numalign::kube
