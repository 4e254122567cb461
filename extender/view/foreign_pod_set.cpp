#include "extender/view/foreign_pod_set.h"

#include "kube/objects/pod.h"
#include "numa/pod/qos.h"

namespace numalign::extender {
namespace {

// Kubernetes' IsNativeResource: unprefixed names and the kubernetes.io/ domain.
bool IsNativeResource(std::string_view name) {
  return name.find('/') == std::string_view::npos ||
         name.find("kubernetes.io/") != std::string_view::npos;
}

bool IsExclusive(numa::QosClass qos, const std::string& resource, const numa::Quantity& amount) {
  if (!IsNativeResource(resource)) return true;  // devices are not shared
  if (qos != numa::QosClass::kGuaranteed) return false;
  if (resource == "cpu") {
    return amount.ValueCeil() > 0 && amount.ValueCeil() * 1000 == amount.MilliValueCeil();
  }
  if (resource == "memory" || resource.starts_with("hugepages-")) return amount.ValueCeil() > 0;
  return false;
}

bool AnyExclusive(numa::QosClass qos, const std::vector<numa::ContainerSpec>& containers) {
  for (const auto& container : containers) {
    for (const auto& [resource, amount] : container.requests) {
      if (IsExclusive(qos, resource, amount)) return true;
    }
  }
  return false;
}

}  // namespace

bool HasExclusiveResources(const numa::PodSpec& pod) {
  numa::QosClass qos = numa::ComputeQosClass(pod);
  return AnyExclusive(qos, pod.init_containers) || AnyExclusive(qos, pod.containers);
}

std::optional<FingerprintMember> FingerprintMemberOf(const kube::Json& pod_object,
                                                     const numa::PodSpec* spec) {
  kube::PodView pod(pod_object);
  std::string phase = pod.Phase();
  if (!pod.IsBound() || phase.empty() || phase == "Pending") return std::nullopt;
  FingerprintMember member;
  member.node = pod.NodeName();
  member.pod_hash = kube::PodFingerprint::PodHash(pod.Namespace(), pod.Name());
  std::optional<numa::PodSpec> parsed;
  if (!spec) {
    std::string error;
    parsed = numa::ParsePodJson(pod_object, &error);
    spec = parsed ? &*parsed : nullptr;
  }
  // A pod whose resources do not parse still runs on the node: it counts, as holding nothing.
  member.exclusive = spec && HasExclusiveResources(*spec);
  return member;
}

std::uint64_t ForeignPodSet::UidKey(const std::string& uid) {
  return kube::PodFingerprint::PodHash("", uid);
}

bool ForeignPodSet::Update(const std::string& node, const std::string& uid,
                           const std::optional<FingerprintMember>& member) {
  if (node.empty()) return false;
  if (!member) {
    auto it = by_node_.find(node);
    if (it == by_node_.end() || it->second.erase(UidKey(uid)) == 0) return false;
    if (it->second.empty()) by_node_.erase(it);
    return true;
  }
  Pod pod{member->pod_hash, member->exclusive};
  auto [it, inserted] = by_node_[node].try_emplace(UidKey(uid), pod);
  if (inserted) return true;
  if (it->second == pod) return false;
  it->second = pod;
  return true;
}

std::string ForeignPodSet::Fingerprint(const std::string& node,
                                       kube::FingerprintMethod method) const {
  kube::PodFingerprint fingerprint;
  if (auto it = by_node_.find(node); it != by_node_.end()) {
    for (const auto& [key, pod] : it->second) {
      if (method == kube::FingerprintMethod::kWithExclusiveResources && !pod.exclusive) continue;
      fingerprint.AddPodHash(pod.hash);
    }
  }
  return fingerprint.Sign();
}

bool ForeignPodSet::Counts(const std::string& node, const std::string& uid,
                           kube::FingerprintMethod method) const {
  auto it = by_node_.find(node);
  if (it == by_node_.end()) return false;
  auto pod = it->second.find(UidKey(uid));
  if (pod == it->second.end()) return false;
  return method == kube::FingerprintMethod::kAll || pod->second.exclusive;
}

}  // namespace numalign::extender
