#include "sim/workload/workload_spec.h"

namespace numalign::sim {
namespace {

// The pod mix shared by the presets, sized for the recorded topologies: NUMA nodes of 7 to 48
// CPUs, some with 2Mi huge pages reserved (g4dnmetal). Guaranteed pods dominate because NUMA
// alignment only concerns them; the large class does not fit one NUMA node of the smaller
// machines, the multi-container and sidecar classes exercise container scope, and the Burstable
// and BestEffort classes use the shared pool.
constexpr const char* kMixedClasses = R"(
podClasses:
- name: small
  weight: 35
  qos: Guaranteed
  lifetime: 600
  containers: [{cpu: [1, 2, 4], memory: [1Gi, 2Gi, 4Gi]}]
- name: medium
  weight: 18
  qos: Guaranteed
  lifetime: 900
  containers: [{cpu: [6, 8, 10], memory: [8Gi, 12Gi, 16Gi]}]
- name: large
  weight: 5
  qos: Guaranteed
  lifetime: 900
  containers: [{cpu: [16, 20], memory: [24Gi, 32Gi]}]
- name: multi
  weight: 10
  qos: Guaranteed
  lifetime: 600
  initContainers: [{cpu: 1, memory: 512Mi}]
  containers:
  - {cpu: [2, 4], memory: [2Gi, 4Gi]}
  - {cpu: [1, 2], memory: [1Gi]}
- name: sidecar
  weight: 5
  qos: Guaranteed
  lifetime: 600
  initContainers: [{cpu: 1, memory: 256Mi, restartable: true}]
  containers: [{cpu: [2, 4], memory: [2Gi, 4Gi]}]
- name: hugepages
  weight: 4
  qos: Guaranteed
  lifetime: 600
  containers: [{cpu: [2, 4], memory: [2Gi], hugepages-2Mi: [512Mi, 1Gi]}]
- name: bare
  weight: 3
  qos: Guaranteed
  replicaSet: false
  lifetime: 600
  containers: [{cpu: [2, 4, 8], memory: [2Gi, 8Gi]}]
- name: burstable
  weight: 15
  qos: Burstable
  lifetime: 300
  containers: [{cpu: [500m, 1], memory: [512Mi, 1Gi]}]
- name: besteffort
  weight: 5
  qos: BestEffort
  lifetime: 300
  containers: [{}]
)";

constexpr const char* kLargeClasses = R"(
podClasses:
- name: half-numa
  weight: 50
  qos: Guaranteed
  lifetime: 900
  containers: [{cpu: [4, 6, 8], memory: [8Gi, 16Gi]}]
- name: numa-sized
  weight: 35
  qos: Guaranteed
  lifetime: 900
  containers: [{cpu: [10, 12, 16, 20], memory: [16Gi, 24Gi]}]
- name: two-numa
  weight: 15
  qos: Guaranteed
  lifetime: 900
  containers: [{cpu: [24, 32], memory: [48Gi]}]
)";

struct Preset {
  const char* name;
  const char* classes;
  double duration_s;
  double rate_per_node;
};

// Per-node arrival rates put the mean demand slightly above the mean capacity of the default
// topology mix, so nodes fill up and placement quality decides what is rejected.
constexpr Preset kPresets[] = {
    {"small", kMixedClasses, 600, 0.045},
    {"mixed", kMixedClasses, 1200, 0.035},
    {"large", kLargeClasses, 1200, 0.012},
};

}  // namespace

std::vector<std::string> PresetNames() {
  std::vector<std::string> names;
  for (const auto& p : kPresets) names.push_back(p.name);
  return names;
}

std::optional<WorkloadSpec> PresetWorkload(const std::string& name, std::string* error) {
  for (const auto& p : kPresets) {
    if (name != p.name) continue;
    std::string yaml = std::string("arrivalRatePerNode: 1\n") + p.classes;
    auto spec = ParseWorkloadYaml(yaml, error);
    if (!spec) return std::nullopt;  // a broken preset: the test of every preset catches it
    spec->name = p.name;
    spec->duration_s = p.duration_s;
    spec->arrival_rate_per_node = p.rate_per_node;
    return spec;
  }
  std::string list;
  for (const auto& n : PresetNames()) list += (list.empty() ? "" : ", ") + n;
  *error = "unknown preset `" + name + "` (presets: " + list + ")";
  return std::nullopt;
}

}  // namespace numalign::sim
