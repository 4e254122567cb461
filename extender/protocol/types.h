#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

// The scheduler extender wire types of k8s.io/kube-scheduler/extender/v1 (kube-scheduler
// v1.32). The Go structs have no json tags, so on the wire every key is the Go field name;
// see protocol/request_parser.h and protocol/reply_writer.h for the exact JSON rules.
namespace numalign::extender::protocol {

inline constexpr std::int64_t kMinExtenderPriority = 0;
inline constexpr std::int64_t kMaxExtenderPriority = 10;
// The scheduler's own score range; an extender score is scaled by kMaxNodeScore /
// kMaxExtenderPriority when combined with in-tree scores.
inline constexpr std::int64_t kMaxNodeScore = 100;

// The candidate nodes of a filter or prioritize call. With nodeCacheCapable=true the scheduler
// sends names only (`NodeNames`); otherwise full Node objects (`Nodes.items`), and `names` is
// then derived from each object's metadata.name so callers can always work on names.
struct NodeCandidates {
  std::vector<std::string> names;
  // Present only in nodeCacheCapable=false mode; objects[i] is the Node named names[i].
  std::optional<std::vector<nlohmann::json>> objects;

  bool node_cache_capable() const { return !objects.has_value(); }
};

// ExtenderArgs: the filter and prioritize request.
struct ExtenderArgs {
  nlohmann::json pod;  // the v1.Pod object as the API serves it
  NodeCandidates nodes;
};

// ExtenderFilterResult: the filter reply.
struct FilterResult {
  std::vector<std::string> node_names;  // always written as an array, even when empty
  // Written as `Nodes: {"items": [...]}` when set (nodeCacheCapable=false), else `null`.
  std::optional<std::vector<nlohmann::json>> nodes;
  std::map<std::string, std::string> failed_nodes;
  std::map<std::string, std::string> failed_and_unresolvable_nodes;
  std::string error;
};

// HostPriority: one entry of the prioritize reply (a top-level JSON array).
struct HostPriority {
  std::string host;
  std::int64_t score = 0;

  bool operator==(const HostPriority&) const = default;
};
using HostPriorityList = std::vector<HostPriority>;

// ExtenderBindingArgs / ExtenderBindingResult.
struct BindingArgs {
  std::string pod_name;
  std::string pod_namespace;
  std::string pod_uid;
  std::string node;

  bool operator==(const BindingArgs&) const = default;
};
struct BindingResult {
  std::string error;
};

// MetaPod / MetaVictims: victims by UID (nodeCacheCapable=true, and every preempt reply).
struct MetaPod {
  std::string uid;

  bool operator==(const MetaPod&) const = default;
};
struct MetaVictims {
  std::vector<MetaPod> pods;
  std::int64_t num_pdb_violations = 0;

  bool operator==(const MetaVictims&) const = default;
};
// Victims: victims as full Pod objects (nodeCacheCapable=false requests).
struct Victims {
  std::vector<nlohmann::json> pods;
  std::int64_t num_pdb_violations = 0;
};

// ExtenderPreemptionArgs: exactly one of the two maps is set, depending on nodeCacheCapable.
struct PreemptionArgs {
  nlohmann::json pod;
  std::optional<std::map<std::string, Victims>> node_name_to_victims;
  std::optional<std::map<std::string, MetaVictims>> node_name_to_meta_victims;
};

// ExtenderPreemptionResult: always the meta (UID) form.
struct PreemptionResult {
  std::map<std::string, MetaVictims> node_name_to_meta_victims;
};

}  // namespace numalign::extender::protocol
