#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace numalign::kube {

// The NodeResourceTopology pod-set fingerprint of the podfingerprint library
// (k8stopologyawareschedwg/podfingerprint, "pfp0" + "v001"). A producer publishes the fingerprint
// of the pods its NRT accounts; a consumer (scheduler-plugins' reserve cache, numalign-extender)
// trusts the NRT's counts only once the fingerprint of the pods it knows on the node is equal.
// Both sides must compute it identically, hence one implementation for agent and extender.

// The NRT attribute carrying the fingerprint, and the one naming how its pods were chosen.
inline constexpr std::string_view kPodFingerprintAttribute = "nodeTopologyPodsFingerprint";
inline constexpr std::string_view kPodFingerprintMethodAttribute =
    "nodeTopologyPodsFingerprintMethod";
// Older producers annotated the NRT object instead; such a fingerprint covers all pods.
inline constexpr std::string_view kPodFingerprintAnnotation = "topology.node.k8s.io/fingerprint";

// Which pods go into the fingerprint; published as nodeTopologyPodsFingerprintMethod.
enum class FingerprintMethod {
  kAll,                     // "all": every pod the node accounts for
  kWithExclusiveResources,  // "with-exclusive-resources": pods holding exclusive resources
};

std::string_view FingerprintMethodName(FingerprintMethod method);
// Accepts the attribute values; false for anything else.
bool ParseFingerprintMethod(std::string_view text, FingerprintMethod* method);

// Order-independent fingerprint of a set of pods identified by namespace and name.
class PodFingerprint {
 public:
  // One pod's contribution. The library defines it (and its consumers recompute it), so it is
  // stable: a caller may keep these 8 bytes per pod instead of the names.
  static std::uint64_t PodHash(std::string_view namespace_name, std::string_view name);

  void Add(std::string_view namespace_name, std::string_view name);
  void AddPodHash(std::uint64_t pod_hash);
  // "pfp0v001" followed by 16 lower-case hex digits.
  std::string Sign() const;

 private:
  std::vector<std::uint64_t> pod_hashes_;
};

}  // namespace numalign::kube
