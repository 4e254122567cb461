#pragma once

// Test-only helpers for the simulator's tests (header-only, so the library does not carry it).

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "numa/pod/quantity.h"
#include "sim/cluster/cluster_loader.h"
#include "sim/model/workload.h"
#include "tests/support/temp_dir.h"

namespace numalign::sim::testing {

inline numa::Quantity Q(const std::string& text) {
  std::string error;
  auto q = numa::Quantity::Parse(text, &error);
  EXPECT_TRUE(q) << text << ": " << error;
  return q.value_or(numa::Quantity{});
}

// A recorded hwloc topology; fails the test (never skips) when the shared data is missing.
inline ::testing::AssertionResult TopologyAvailable(const std::string& name) {
  const std::string path = DefaultTopologyDir() + "/" + name + ".xml";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "required test data missing: " << path
         << " (set NUMALIGN_SHARED to the shared/ directory or configure NUMALIGN_SHARED_DIR)";
}

// A pod with one app container; Guaranteed when `guaranteed` (requests = limits), BestEffort
// when cpus is 0, else Burstable (requests only).
inline SimPod Pod(const std::string& name, std::int64_t cpus, const std::string& memory,
                  bool replicaset = true, bool guaranteed = true) {
  SimPod pod;
  pod.spec.name = name;
  numa::ContainerSpec c;
  c.name = "app0";
  if (cpus > 0) {
    c.requests["cpu"] = numa::Quantity::FromInt(cpus);
    c.requests["memory"] = Q(memory);
    if (guaranteed) c.limits = c.requests;
  }
  pod.spec.containers.push_back(c);
  if (replicaset) pod.owner_replicaset = "rs-" + name;
  return pod;
}

inline SimEvent Create(double t, SimPod pod) {
  return SimEvent{t, 0, SimEventKind::kCreatePod, std::move(pod)};
}
inline SimEvent Delete(double t, SimPod pod) {
  return SimEvent{t, 0, SimEventKind::kDeletePod, std::move(pod)};
}

inline Workload MakeWorkload(std::vector<SimEvent> events, double duration) {
  Workload w;
  w.name = "test";
  w.duration_s = duration;
  for (std::size_t i = 0; i < events.size(); ++i) events[i].sequence = i + 1;
  w.events = std::move(events);
  return w;
}

// One node per topology name, default kubelet profile (single-numa-node, container scope).
inline LoadedCluster Cluster(const std::vector<std::string>& topologies,
                             const nlohmann::json& kubelet = nlohmann::json::object()) {
  std::string error;
  auto cluster = MakeFlagCluster(static_cast<int>(topologies.size()), topologies, kubelet,
                                 DefaultTopologyDir(), &error);
  EXPECT_TRUE(cluster) << error;
  return cluster.value_or(LoadedCluster{});
}

// A fresh directory for a test's simulator output (numalign-sim-test-XXXXXX), removed at the end.
class TempDir : public test_support::TempDir {
 public:
  TempDir() : test_support::TempDir("numalign-sim-test") {}
};

}  // namespace numalign::sim::testing
