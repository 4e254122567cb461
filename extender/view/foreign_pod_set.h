#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kube/objects/object_meta.h"
#include "kube/objects/pod_fingerprint.h"
#include "numa/pod/pod_spec.h"

namespace numalign::extender {

// The pods whose names go into the fingerprint the extender compares with a foreign NRT's
// nodeTopologyPodsFingerprint, chosen the way scheduler-plugins' reserve cache chooses them
// (cache/overreserve.go makeNodeToPodDataMap with its default dedicated pod informer).
struct FingerprintMember {
  std::string node;
  // kube::PodFingerprint::PodHash of namespace and name: 8 bytes instead of the names.
  std::uint64_t pod_hash = 0;
  // Counted by method with-exclusive-resources (resourcerequests.AreExclusiveForPod).
  bool exclusive = false;
};

// A pod counts once bound and past Pending: Running, and also Succeeded or Failed until it is
// deleted, since podresources keeps reporting terminated pods' resources (kubernetes#119423) and
// a scheduler that forgot them never matched (scheduler-plugins#598). A pod without a phase is
// a decision the view recorded itself, which no kubelet has admitted yet. `spec`: the parsed
// pod when the caller has it (nullptr: parsed here). nullopt: not a member anywhere.
std::optional<FingerprintMember> FingerprintMemberOf(const kube::Json& pod_object,
                                                     const numa::PodSpec* spec);

// scheduler-plugins' AreExclusiveForPod: any extended resource (treated as a device), or, in a
// Guaranteed pod, a whole-CPU cpu request or any memory or hugepages request, in any container.
bool HasExclusiveResources(const numa::PodSpec& pod);

// Every member pod by node, so a node's fingerprint is computed from what the view knows.
class ForeignPodSet {
 public:
  // Sets (or, with nullopt, drops) the pod's membership; `node`: the node the pod's object
  // names (a pod never changes nodes). Returns whether that node's set changed.
  bool Update(const std::string& node, const std::string& uid,
              const std::optional<FingerprintMember>& member);

  // The fingerprint of the node's member pods under `method`.
  std::string Fingerprint(const std::string& node, kube::FingerprintMethod method) const;
  // Whether the pod is in the node's fingerprint under `method`.
  bool Counts(const std::string& node, const std::string& uid,
              kube::FingerprintMethod method) const;

 private:
  struct Pod {
    std::uint64_t hash = 0;
    bool exclusive = false;
    bool operator==(const Pod&) const = default;
  };
  // Every pod of the cluster is here (a node's NRT may turn out foreign later), so a pod is
  // keyed by a 64-bit hash of its uid rather than the uid: a collision among a cluster's pods
  // is far less likely than anything else going wrong.
  static std::uint64_t UidKey(const std::string& uid);
  std::unordered_map<std::string, std::unordered_map<std::uint64_t, Pod>> by_node_;
};

}  // namespace numalign::extender
