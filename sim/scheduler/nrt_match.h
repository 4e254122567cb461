#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "numa/pod/pod_spec.h"
#include "numa/pod/qos.h"
#include "sim/scheduler/resource_list.h"

namespace numalign::sim {

// One NUMA zone of a NodeResourceTopology as the plugin reads it: `available` per resource
// (cpu in millicores, memory and hugepages in bytes) and the costs (distances) to other zones.
struct NrtZone {
  int id = 0;
  ResourceList available;
  std::map<int, int> costs;
};

// A node's NodeResourceTopology as published by an exporter at one moment.
struct NrtData {
  std::vector<NrtZone> zones;   // ascending by id
  std::string policy = "none";  // topologyManagerPolicy attribute
  std::string scope = "container";
  int max_numa_nodes = 8;
  std::set<std::string> pods;  // pods the exporter saw (podfingerprint input)
};

enum class NrtScoringStrategy {
  kLeastAllocated,
  kMostAllocated,
  kBalancedAllocation,
  kLeastNumaNodes
};

struct NrtScoringOptions {
  NrtScoringStrategy strategy = NrtScoringStrategy::kLeastAllocated;       // the API default
  std::map<std::string, std::int64_t> weights{{"cpu", 1}, {"memory", 1}};  // absent/0 -> 1
};

// The NodeResourceTopologyMatch plugin's Filter (design/peers.md 2.2): only single-numa-node is
// checked; pod scope checks the effective request, container scope every init container alone
// and the app containers in turn, each taken from the lowest zone that fits. nullopt = passes.
// `node_allocatable`: the Node's allocatable (a requested resource it lacks fails the node).
std::optional<std::string> NrtFilter(const numa::PodSpec& pod, numa::QosClass qos,
                                     const NrtData& nrt, const ResourceList& node_allocatable);

// Its Score (peers.md 2.3), 0..100.
std::int64_t NrtScore(const numa::PodSpec& pod, numa::QosClass qos, const NrtData& nrt,
                      const NrtScoringOptions& options);

// Parses "LeastAllocated" | "MostAllocated" | "BalancedAllocation" | "LeastNUMANodes".
std::optional<NrtScoringStrategy> ParseNrtScoringStrategy(const std::string& text);
std::string ToString(NrtScoringStrategy strategy);

}  // namespace numalign::sim
