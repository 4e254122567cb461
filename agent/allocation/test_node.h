#pragma once

// Test helpers for the allocation core: a small 2-NUMA machine, a kubelet-like configuration and
// an in-memory checkpoint store that logs every operation (to assert ordering against cgroup
// writes) and can fail or be corrupted on demand.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agent/allocation/checkpoint_store.h"
#include "agent/allocation/pod_observation.h"
#include "numa/admission/node_admitter.h"

namespace numalign::agent::testing {

inline constexpr std::uint64_t kGi = 1ULL << 30;
inline constexpr std::uint64_t kMi = 1ULL << 20;
inline constexpr const char* kNode = "worker-1";

// `nodes` NUMA nodes of `cores` single-thread CPUs and 4 Gi allocatable each (node 0 carries the
// 1100 Mi the kubelet reserves); CPU 0 reserved.
inline numa::Machine MakeMachine(int nodes = 2, int cores = 4) {
  numa::Machine m;
  int cpu = 0;
  for (int i = 0; i < nodes; ++i) {
    numa::NumaNodeInfo n;
    n.id = i;
    n.memory = 4 * kGi + (i == 0 ? 1100 * kMi : 0);
    n.hugepages[2 * kMi] = 0;
    for (int c = 0; c < cores; ++c, ++cpu) {
      n.cpus.push_back(cpu);
      m.cpus.push_back(numa::LogicalCpu{cpu, cpu, i, i});
    }
    m.numa_nodes.push_back(n);
    for (int j = 0; j < nodes; ++j) m.distances[i][j] = i == j ? 10 : 20;
  }
  return m;
}

inline numa::KubeletNumaConfig MakeConfig(const std::string& policy = "single-numa-node") {
  std::string error;
  auto c = numa::ParseKubeletConfigJson(
      nlohmann::json{{"topologyManagerPolicy", policy},
                     {"cpuManagerPolicy", "static"},
                     {"reservedSystemCPUs", "0"},
                     {"memoryManagerPolicy", "Static"},
                     {"reservedMemory", {{{"numaNode", 0}, {"limits", {{"memory", "1100Mi"}}}}}},
                     {"systemReserved", {{"memory", "600Mi"}}},
                     {"kubeReserved", {{"memory", "400Mi"}}}},
      &error);
  EXPECT_TRUE(c) << error;
  return *c;
}

inline numa::NodeAdmitter MakeAdmitter(const std::string& policy = "single-numa-node") {
  std::string error;
  auto a = numa::NodeAdmitter::Create(MakeMachine(), MakeConfig(policy), &error);
  EXPECT_TRUE(a) << error;
  return *a;
}

// A Guaranteed pod with one container "app" (cpu, memory) and a uid of the API's form.
inline PodObservation MakePod(const std::string& name, const std::string& cpu,
                              const std::string& memory, int uid_number,
                              const std::string& created = "2026-01-01T00:00:00Z") {
  char uid[40];
  std::snprintf(uid, sizeof uid, "00000000-0000-0000-0000-%012d", uid_number);
  nlohmann::json r = {{"cpu", cpu}, {"memory", memory}};
  std::string error;
  auto spec = numa::ParsePodJson(
      nlohmann::json{{"metadata", {{"name", name}, {"namespace", "default"}, {"uid", uid}}},
                     {"spec",
                      {{"containers", nlohmann::json::array(
                                          {{{"name", "app"},
                                            {"resources", {{"requests", r}, {"limits", r}}}}})}}}},
      &error);
  EXPECT_TRUE(spec) << error;
  PodObservation pod;
  pod.spec = *spec;
  pod.creation_timestamp = created;
  return pod;
}

// Records every Save (as "checkpoint" in the shared log) and keeps the last document.
class FakeCheckpointStore final : public CheckpointStore {
 public:
  explicit FakeCheckpointStore(std::vector<std::string>* log = nullptr) : log_(log) {}

  state::StateResult<nlohmann::json> Load() override {
    if (load_error) return *load_error;
    if (!document) return state::StateError{state::StateErrorKind::kMissing, "fake", "none", 0};
    return *document;
  }
  state::StateStatus Save(const nlohmann::json& doc) override {
    if (fail_saves) return state::StateError{state::StateErrorKind::kIo, "fake", "disk full", 28};
    document = doc;
    ++saves;
    if (log_) log_->push_back("checkpoint");
    return {};
  }

  std::optional<nlohmann::json> document;
  std::optional<state::StateError> load_error;
  bool fail_saves = false;
  int saves = 0;

 private:
  std::vector<std::string>* log_;
};

}  // namespace numalign::agent::testing
