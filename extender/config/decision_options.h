#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

// Command-line settings of the decision logic, parsed and validated here so every consumer
// (main, the NUMA decider, tests) shares one spelling of each value.
namespace numalign::extender {

// --unmanaged-nodes: what filter says about nodes without a NodeResourceTopology.
enum class UnmanagedNodes { kPass, kReject };

// --scoring-strategy.
enum class ScoringStrategy { kLeastNumaNodes, kMostAllocated, kLeastAllocated, kBalanced };

struct DecisionOptions {
  UnmanagedNodes unmanaged_nodes = UnmanagedNodes::kPass;
  ScoringStrategy scoring_strategy = ScoringStrategy::kLeastNumaNodes;
  std::map<std::string, std::int64_t> resource_weights{{"cpu", 1}, {"memory", 1}};
};

// Each parser throws std::invalid_argument with a message naming the accepted values.
UnmanagedNodes parse_unmanaged_nodes(std::string_view text);
ScoringStrategy parse_scoring_strategy(std::string_view text);
// "cpu=1,memory=1,hugepages-1Gi=2": resource name -> positive integer weight.
std::map<std::string, std::int64_t> parse_resource_weights(std::string_view text);
// Go duration syntax as in kube configs: "5s", "250ms", "1m30s", "1.5s", "100us".
std::chrono::milliseconds parse_duration(std::string_view text);

std::string_view to_string(UnmanagedNodes value);
std::string_view to_string(ScoringStrategy value);

}  // namespace numalign::extender
