#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "agent/allocation/node_state.h"
#include "agent/publish/pod_fingerprint.h"
#include "kube/objects/pod_fingerprint.h"

namespace numalign::agent::publish {

// numalign's own NRT attributes (top level). Values are plain strings:
//   memoryGroups:  "<id>,<id>=<assignments>" per multi-NUMA group, groups joined by ";"
//                  ("0,1=3;2,3=1"); "" when no group spans several NUMA nodes.
inline constexpr std::string_view kAttrMemoryGroups = "numalign.io/memoryGroups";
inline constexpr std::string_view kAttrPinningMode = "numalign.io/pinningMode";
inline constexpr std::string_view kAttrCpuManagerPolicy = "numalign.io/cpuManagerPolicy";
inline constexpr std::string_view kAttrMemoryManagerPolicy = "numalign.io/memoryManagerPolicy";
inline constexpr std::string_view kAttrStateGeneration = "numalign.io/stateGeneration";
// RFC 3339 UTC time of the write; the only attribute that changes without a state change.
inline constexpr std::string_view kAttrHeartbeat = "numalign.io/heartbeat";

// numalign's zone attribute (on every node-<id> zone): the logical CPU OS ids of the NUMA node in
// the kernel list format ("0-15,32-47"; "" for a memory-only node). The NRT's `cpu` resource is
// only a count, but numalign.io/pinned names real CPU ids: with this list a reader (the
// extender's view) knows which zone each pinned CPU is on.
inline constexpr std::string_view kAttrZoneCpus = "numalign.io/cpus";

// Everything the NRT object is built from besides the snapshot.
struct NrtBuildOptions {
  std::string node_uid;  // the Node's metadata.uid for the owner reference; "" = no owner ref
  kube::FingerprintMethod fingerprint_method = kube::FingerprintMethod::kWithExclusiveResources;
  // Set for the object that is written; left empty to build the comparison form, so two
  // builds of the same state compare equal whatever the time.
  std::optional<std::string> heartbeat;
};

// The snapshot cannot be expressed as an NRT (no node name, duplicate or negative NUMA ids).
class NrtBuildError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The node's NodeResourceTopology (topology.node.k8s.io/v1alpha2) as the JSON body of a
// server-side apply. Pure: no I/O, same input -> same output. Throws NrtBuildError.
nlohmann::json BuildNodeResourceTopology(const NodeStateSnapshot& snapshot,
                                         const NrtBuildOptions& options);

// The deprecated v1alpha2 `topologyPolicies` value for a policy and scope (still read by
// scheduler-plugins as a fallback and required by v1alpha1 readers); "" for an unknown policy.
std::string LegacyTopologyPolicy(std::string_view policy, std::string_view scope);

// "0,1=3;2,3=1"
std::string FormatMemoryGroups(const std::vector<MemoryGroupState>& groups);

}  // namespace numalign::agent::publish
