#pragma once

#include <map>
#include <optional>
#include <string>

namespace numalign::numa {

enum class TopologyPolicyName { kNone, kBestEffort, kRestricted, kSingleNumaNode };
enum class TopologyScopeName { kContainer, kPod };

// The kubelet's default NUMA node limit (max-allowable-numa-nodes).
inline constexpr int kDefaultMaxAllowableNumaNodes = 8;

// topologyManagerPolicyOptions after validation (topologymanager.NewPolicyOptions).
struct TopologyPolicyOptions {
  bool prefer_closest_numa_nodes = false;
  int max_allowable_numa_nodes = kDefaultMaxAllowableNumaNodes;
};

// "none", "best-effort", "restricted", "single-numa-node"; nullopt with the kubelet's message.
std::optional<TopologyPolicyName> ParseTopologyPolicyName(const std::string& name,
                                                          std::string* error);
std::optional<TopologyScopeName> ParseTopologyScopeName(const std::string& name,
                                                        std::string* error);
std::string ToString(TopologyPolicyName policy);
std::string ToString(TopologyScopeName scope);

// Validates the options with the kubelet's rules and messages: unknown options, maturity gates
// (TopologyManagerPolicyAlphaOptions / TopologyManagerPolicyBetaOptions, the latter on by
// default), Go-style bool and int syntax, and max-allowable-numa-nodes >= 8.
std::optional<TopologyPolicyOptions> ParseTopologyPolicyOptions(
    const std::map<std::string, std::string>& options,
    const std::map<std::string, bool>& feature_gates, std::string* error);

// Go's strconv.ParseBool / strconv.Atoi, with their error texts.
std::optional<bool> ParseGoBool(const std::string& text, std::string* error);
std::optional<int> ParseGoInt(const std::string& text, std::string* error);

}  // namespace numalign::numa
