#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/allocation/node_state.h"

namespace numalign::agent::publish {

// The NodeResourceTopology pod-set fingerprint, computed the way the podfingerprint library
// (k8stopologyawareschedwg/podfingerprint, "pfp0" + "v001") does, so scheduler-plugins' cache
// resync compares it with the fingerprint of the pods it believes are on the node.
inline constexpr std::string_view kFingerprintAttribute = "nodeTopologyPodsFingerprint";
inline constexpr std::string_view kFingerprintMethodAttribute = "nodeTopologyPodsFingerprintMethod";

// Which pods go into the fingerprint; published as nodeTopologyPodsFingerprintMethod.
enum class FingerprintMethod {
  kAll,                     // "all": every pod the node accounts for
  kWithExclusiveResources,  // "with-exclusive-resources": pods holding exclusive CPUs or memory
};

std::string_view FingerprintMethodName(FingerprintMethod method);
// Accepts the attribute values; false for anything else.
bool ParseFingerprintMethod(std::string_view text, FingerprintMethod* method);

// Order-independent fingerprint of a set of pods identified by namespace and name.
class PodFingerprint {
 public:
  void Add(std::string_view namespace_name, std::string_view name);
  // "pfp0v001" followed by 16 lower-case hex digits.
  std::string Sign() const;

 private:
  std::vector<std::uint64_t> pod_hashes_;
};

// True when the pod holds anything exclusively (CPUs or NUMA-pinned memory / hugepages).
bool HasExclusiveResources(const AdmittedPodState& pod);

// The fingerprint of the snapshot's pods under `method`.
std::string FingerprintPods(const std::vector<AdmittedPodState>& pods, FingerprintMethod method);

}  // namespace numalign::agent::publish
