#include "sim/cli/sim_options.h"

#include <gtest/gtest.h>

namespace numalign::sim {
namespace {

std::string Error(std::vector<std::string> args) {
  std::string error;
  EXPECT_FALSE(ParseSimOptions(args, &error));
  return error;
}

TEST(SimOptions, ParsesBothFlagForms) {
  std::string error;
  auto o = ParseSimOptions({"--nodes=12", "--topologies", "a,b", "--seed", "9", "--mode=processes",
                            "--nrt-exporter-period=1m", "--placements=numalign", "--omit-timings",
                            "--pod-details=false", "--preset", "mixed"},
                           &error);
  ASSERT_TRUE(o) << error;
  EXPECT_EQ(o->nodes, 12);
  EXPECT_EQ(o->topologies, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(o->seed, 9u);
  EXPECT_EQ(o->mode, "processes");
  EXPECT_DOUBLE_EQ(o->nrt_exporter_period_s, 60);
  EXPECT_EQ(o->placements, (std::vector<std::string>{"numalign"}));
  EXPECT_FALSE(o->timings);
  EXPECT_EQ(o->pod_details, false);
  EXPECT_EQ(o->preset, "mixed");
}

TEST(SimOptions, ClearErrors) {
  EXPECT_EQ(Error({"--mode=cluster"}), "--mode=cluster: must be in-process or processes");
  EXPECT_EQ(Error({"--nodes=0"}), "--nodes=0: must be an integer from 1 to 100000");
  EXPECT_EQ(Error({"--frobnicate=1"}), "unknown flag --frobnicate (see --help)");
  EXPECT_EQ(Error({"--seed"}), "--seed: needs a value");
  EXPECT_EQ(Error({"--nrt-exporter-period=soon"}),
            "--nrt-exporter-period=soon: must be a duration such as 10s, 500ms or 1m");
  EXPECT_EQ(Error({"--placements=numalign,kube"}),
            "--placements=numalign,kube: unknown placement kube (topology-blind, nrt-plugin, "
            "nrt-plugin-reserve, numalign)");
  EXPECT_EQ(Error({"--cluster=c.yaml", "--nodes=3"}), "--cluster and --nodes exclude each other");
  EXPECT_EQ(Error({"nodes"}), "unexpected argument `nodes` (flags start with --; see --help)");
}

TEST(SimOptions, Durations) {
  EXPECT_EQ(ParseSeconds("250ms"), 0.25);
  EXPECT_EQ(ParseSeconds("3"), 3.0);
  EXPECT_EQ(ParseSeconds("2h"), 7200.0);
  EXPECT_FALSE(ParseSeconds("-1s"));
  EXPECT_FALSE(ParseSeconds("1d"));
}

}  // namespace
}  // namespace numalign::sim
