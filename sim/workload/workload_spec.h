#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "numa/pod/quantity.h"
#include "sim/model/workload.h"

namespace numalign::sim {

// One container shape: for each resource the values one is drawn from (uniformly).
struct ContainerShape {
  std::map<std::string, std::vector<numa::Quantity>> choices;  // "cpu", "memory", "hugepages-*"
  bool restartable = false;  // init containers only: a sidecar (restartPolicy: Always)
};

enum class ShapeQos { kGuaranteed, kBurstable, kBestEffort };

// A kind of pod in the mix.
struct PodClass {
  std::string name;
  double weight = 1;
  ShapeQos qos = ShapeQos::kGuaranteed;
  bool replicaset = true;  // owned by the ReplicaSet "<name>" (recreated after admission errors)
  double lifetime_s = 0;   // mean of an exponential lifetime; 0 = runs to the end
  std::vector<ContainerShape> init_containers;
  std::vector<ContainerShape> containers;
};

// A workload description (YAML or preset): Poisson arrivals over `duration_s` at
// arrival_rate + arrival_rate_per_node * nodes pods per second, classes drawn by weight.
struct WorkloadSpec {
  std::string name;
  std::string ns = "default";
  double duration_s = 600;
  double arrival_rate = 0;
  double arrival_rate_per_node = 0;
  std::vector<PodClass> classes;
};

// The YAML form:
//
//   name: mixed
//   duration: 600                 # virtual seconds
//   arrivalRatePerNode: 0.02      # and/or arrivalRate (pods per second for the whole cluster)
//   namespace: default
//   podClasses:
//   - name: db
//     weight: 10
//     qos: Guaranteed             # Guaranteed (requests = limits) | Burstable (limits are
//                                 # twice the requests for cpu and memory) | BestEffort
//     replicaSet: true            # default true
//     lifetime: 300               # mean seconds, exponential; 0 or absent = until the end
//     initContainers: [{cpu: [1], memory: [1Gi], restartable: false}]
//     containers:
//     - cpu: [2, 4, 8]            # a value or a list to draw from
//       memory: [4Gi, 8Gi]
//       hugepages-2Mi: [1Gi]
//
// Errors name the field ("podClasses[1].containers[0].cpu[2]: ...").
std::optional<WorkloadSpec> ParseWorkloadYaml(const std::string& yaml_text, std::string* error);
std::optional<WorkloadSpec> LoadWorkloadFile(const std::string& path, std::string* error);

// Built-in descriptions: "small" (a short mixed stream for a handful of nodes), "mixed"
// (Guaranteed pods of every size, multi-container and init containers, hugepages, Burstable and
// BestEffort, churn), "large" (big Guaranteed pods close to a NUMA node's size).
std::vector<std::string> PresetNames();
std::optional<WorkloadSpec> PresetWorkload(const std::string& name, std::string* error);

// The events of a description for a cluster of `nodes` nodes. Same inputs, same events.
Workload GenerateWorkload(const WorkloadSpec& spec, std::uint64_t seed, std::size_t nodes);

}  // namespace numalign::sim
