// A seeded run is repeatable: the same cluster, workload preset and seed give the same result
// document (wall-clock timings left out) through every in-process placement.
#include <gtest/gtest.h>

#include "sim/placement/nrt_plugin_placement.h"
#include "sim/placement/numalign_in_process_placement.h"
#include "sim/placement/topology_blind_placement.h"
#include "sim/report/html_report.h"
#include "sim/report/result_json.h"
#include "sim/testing/sim_test_support.h"
#include "sim/workload/workload_spec.h"

namespace numalign::sim {
namespace {

std::string RunOnce(const LoadedCluster& cluster, std::uint64_t seed, std::string* html) {
  std::string error;
  auto spec = PresetWorkload("small", &error);
  EXPECT_TRUE(spec) << error;
  const Workload workload = GenerateWorkload(*spec, seed, cluster.spec.nodes.size());
  RunSummary run;
  run.mode = "in-process";
  run.cluster = &cluster.spec;
  run.workload = &workload;
  NullRunObserver observer;
  TopologyBlindPlacement blind;
  NrtPluginOptions nrt_options;
  NrtPluginPlacement nrt(nrt_options);
  nrt_options.reserve_cache = true;
  NrtPluginPlacement reserve(nrt_options);
  NumalignInProcessPlacement numalign;
  for (Placement* p : std::vector<Placement*>{&blind, &nrt, &reserve, &numalign}) {
    run.placements.push_back(p->Run(cluster.spec, workload, observer));
  }
  if (html != nullptr) *html = HtmlReport(run);
  ResultJsonOptions options;
  options.timings = false;
  return ResultJson(run, options).dump(1);
}

TEST(Determinism, SameSeedSameResultDocument) {
  for (const char* t : {"epyc-corona", "memorysidecaches", "g4dnmetal"}) {
    ASSERT_TRUE(testing::TopologyAvailable(t));
  }
  const LoadedCluster cluster = testing::Cluster({"epyc-corona", "memorysidecaches", "g4dnmetal"});
  std::string html;
  const std::string first = RunOnce(cluster, 11, &html);
  const std::string second = RunOnce(cluster, 11, nullptr);
  EXPECT_EQ(first, second);
  EXPECT_NE(first, RunOnce(cluster, 12, nullptr));

  const nlohmann::json doc = nlohmann::json::parse(first);
  ASSERT_EQ(doc["placements"].size(), 4u);
  EXPECT_FALSE(doc["placements"][0].contains("timings"));
  for (const auto& p : doc["placements"]) {
    EXPECT_GT(p["counters"]["pods"].get<int>(), 20) << p["name"];
    EXPECT_EQ(p["series"]["sampleTimes"].size(), p["series"]["admissionErrors"].size());
  }
  EXPECT_EQ(doc["placements"][3]["name"], "numalign");

  // The report stands alone: inline SVG, no scripts, no external resources.
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("Admission errors over time"), std::string::npos);
  EXPECT_NE(html.find("Extender latency"), std::string::npos);
}

}  // namespace
}  // namespace numalign::sim
