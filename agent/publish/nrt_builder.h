#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "agent/allocation/node_state.h"
#include "agent/publish/pod_fingerprint.h"
#include "kube/objects/numalign_attributes.h"
#include "kube/objects/pod_fingerprint.h"

namespace numalign::agent::publish {

// numalign's own NRT attribute names and values: kube/objects/numalign_attributes.h.

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
