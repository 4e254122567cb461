// numalign-sim's process mode against its in-process mode: the same small cluster (nodes of two
// different recorded topologies) and the same seeded workload through
//   - NumalignInProcessPlacement: the extender's decision layer and the agents' allocation
//     engine called directly, and
//   - MakeProcessNumalignPlacement: the real numalign-agent per node, numalign-extender over
//     HTTP and numalign-controller against the test API server,
// must give the same result for every pod (node, per-container NUMA nodes, outcome, attempts)
// and the same counters and time series.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "sim/cluster/cluster_loader.h"
#include "sim/placement/numalign_in_process_placement.h"
#include "sim/process/process_placement.h"
#include "sim/testing/sim_test_support.h"
#include "sim/workload/workload_spec.h"

namespace numalign::sim {
namespace {

namespace fs = std::filesystem;
using TempDir = numalign::sim::testing::TempDir;

std::string Describe(const PodOutcome& o) {
  std::string s = o.pod + " -> " + o.final + " on '" + o.node + "' outcome " +
                  std::to_string(static_cast<int>(o.outcome)) + " attempts " +
                  std::to_string(o.attempts) + " reason '" + o.reason + "' containers";
  for (const auto& c : o.containers) {
    s += " " + c.name + ":" + std::to_string(c.exclusive_cpus) + "cpu@[";
    for (int n : c.numa_nodes) s += std::to_string(n) + ",";
    s += "]/" + std::to_string(c.min_numa_nodes);
  }
  return s;
}

// Two 2-NUMA machines of one kind and two of another (with 2Mi huge pages), the default kubelet
// configuration of a NUMA-sensitive node (static CPU manager, Static memory manager,
// single-numa-node).
LoadedCluster SmallCluster() {
  std::string error;
  auto cluster = MakeFlagCluster(4, {"32em64t-2n8c2t-pci-normalio", "g4dnmetal"},
                                 nlohmann::json::object(), DefaultTopologyDir(), &error);
  EXPECT_TRUE(cluster) << error;
  return cluster ? std::move(*cluster) : LoadedCluster{};
}

Workload SmallWorkload(std::size_t nodes) {
  std::string error;
  auto spec = PresetWorkload("mixed", &error);
  EXPECT_TRUE(spec) << error;
  if (!spec) return {};
  // About 30 events: arrivals and the deletions of the short-lived ones.
  spec->duration_s = 600;
  spec->arrival_rate = 0;
  spec->arrival_rate_per_node = 0.0105;
  return GenerateWorkload(*spec, 20261122, nodes);
}

TEST(ProcessMode, ResultsEqualTheInProcessMode) {
  const fs::path shared = DefaultTopologyDir();
  ASSERT_TRUE(fs::exists(shared / "g4dnmetal.xml"))
      << "shared topologies missing: " << shared << " (set NUMALIGN_SHARED)";
  LoadedCluster cluster = SmallCluster();
  ASSERT_EQ(cluster.spec.nodes.size(), 4U);
  const Workload workload = SmallWorkload(cluster.spec.nodes.size());
  std::size_t deletions = 0;
  for (const auto& e : workload.events) deletions += e.kind == SimEventKind::kDeletePod ? 1 : 0;
  ASSERT_GE(workload.events.size(), 24U);
  ASSERT_LE(workload.events.size(), 45U);
  ASSERT_GE(deletions, 3U) << "the workload must release pods too";

  NullRunObserver observer;
  NumalignInProcessPlacement in_process;
  const PlacementResult expected = in_process.Run(cluster.spec, workload, observer);

  TempDir output;
  ProcessModeOptions options;
  options.output_dir = output.path().string();
  options.temp_parent = output.path().string();
  auto processes = MakeProcessNumalignPlacement(options);
  EXPECT_EQ(processes->Name(), in_process.Name());
  const PlacementResult actual = processes->Run(cluster.spec, workload, observer);

  // The scenario is worth comparing: most pods placed, NUMA pods among them, pods deleted.
  EXPECT_GE(expected.counters.placed, expected.counters.pods / 2);
  EXPECT_GE(expected.counters.numa_pods, 5);

  ASSERT_EQ(actual.pods.size(), expected.pods.size());
  for (std::size_t i = 0; i < expected.pods.size(); ++i) {
    const PodOutcome& e = expected.pods[i];
    const PodOutcome& a = actual.pods[i];
    EXPECT_EQ(Describe(a), Describe(e)) << "pod " << i;
    EXPECT_EQ(a.aligned, e.aligned) << e.pod;
    EXPECT_EQ(a.spread_more_than_needed, e.spread_more_than_needed) << e.pod;
    EXPECT_EQ(a.recreations, e.recreations) << e.pod;
    EXPECT_EQ(a.deleted_at_s, e.deleted_at_s) << e.pod;
  }
  const PlacementCounters& e = expected.counters;
  const PlacementCounters& a = actual.counters;
  EXPECT_EQ(a.pods, e.pods);
  EXPECT_EQ(a.placed, e.placed);
  EXPECT_EQ(a.admission_errors, e.admission_errors);
  EXPECT_EQ(a.failed, e.failed);
  EXPECT_EQ(a.recreated, e.recreated);
  EXPECT_EQ(a.pending, e.pending);
  EXPECT_EQ(a.numa_pods, e.numa_pods);
  EXPECT_DOUBLE_EQ(a.aligned_share, e.aligned_share);
  EXPECT_DOUBLE_EQ(a.spread_share, e.spread_share);
  EXPECT_DOUBLE_EQ(a.cpu_utilisation, e.cpu_utilisation);
  EXPECT_DOUBLE_EQ(a.memory_utilisation, e.memory_utilisation);
  EXPECT_EQ(actual.admission_errors_at, expected.admission_errors_at);
  ASSERT_EQ(actual.numa_series.size(), expected.numa_series.size());
  for (std::size_t s = 0; s < expected.numa_series.size(); ++s) {
    EXPECT_EQ(actual.numa_series[s].cpu_used, expected.numa_series[s].cpu_used)
        << expected.numa_series[s].node << " NUMA " << expected.numa_series[s].numa_id;
  }

  // Wall-clock figures are the process mode's own: one latency sample per extender call.
  EXPECT_FALSE(actual.extender_latency_us.empty());
  EXPECT_GT(actual.time_to_place_s, 0);
  // Every program's output was kept.
  for (const char* log : {"numalign-extender.log", "numalign-controller.log"}) {
    EXPECT_TRUE(fs::exists(output.path() / "processes" / log)) << log;
  }
  for (const auto& node : cluster.spec.nodes) {
    EXPECT_TRUE(fs::exists(output.path() / "processes" / ("numalign-agent-" + node.name + ".log")));
  }
  // The temporary tree (cgroups, state, kubeconfig) is gone; only the logs stay.
  for (const auto& entry : fs::directory_iterator(output.path())) {
    EXPECT_EQ(entry.path().filename(), "processes") << entry.path();
  }
}

TEST(ProcessMode, AProgramThatDoesNotStartFailsTheRunAndLeavesNothingBehind) {
  LoadedCluster cluster = SmallCluster();
  ASSERT_FALSE(cluster.spec.nodes.empty());
  TempDir output;
  ProcessModeOptions options;
  options.output_dir = (output.path() / "out").string();
  options.temp_parent = (output.path() / "tmp").string();
  fs::create_directories(options.temp_parent);
  options.agent_binary = "/bin/false";  // exits at once, never ready
  options.startup_timeout = std::chrono::seconds(20);
  auto processes = MakeProcessNumalignPlacement(options);
  NullRunObserver observer;
  try {
    processes->Run(cluster.spec, SmallWorkload(cluster.spec.nodes.size()), observer);
    ADD_FAILURE() << "the run should have failed";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("numalign-agent["), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("exited with status 1"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_empty(options.temp_parent)) << "temporary tree left behind";
  EXPECT_TRUE(fs::exists(fs::path(options.output_dir) / "processes"));
}

}  // namespace
}  // namespace numalign::sim
