#include "extender/view/foreign_nrt_sync.h"

#include <cstdint>
#include <map>
#include <string>

namespace numalign::extender {
namespace {

// `available` less `amount`, floored at 0. numa::Quantity does not subtract; milli-units are
// exact for what NRTs and requests carry (milli-CPUs, whole bytes and devices), and a request
// finer than that is rounded up, which only charges more.
numa::Quantity LeftAfter(const numa::Quantity& available, const numa::Quantity& amount) {
  std::int64_t left = available.MilliValueCeil() - amount.MilliValueCeil();
  if (left <= 0) return numa::Quantity();
  std::string error;
  return numa::Quantity::Parse(std::to_string(left) + "m", &error).value_or(numa::Quantity());
}

void TakeOffEveryZone(const EffectiveRequest& request, kube::NodeResourceTopology* nrt) {
  for (auto& zone : nrt->zones) {
    for (auto& resource : zone.resources) {
      for (const auto& [name, amount] : request) {
        if (name != resource.name) continue;
        // A zone without enough left is emptied rather than driven negative, as the reserve
        // cache does: the pod cannot be on it anyway, or the producer already counted it.
        resource.available = LeftAfter(resource.available, amount);
      }
    }
  }
}

}  // namespace

EffectiveRequest ReserveCacheRequest(const numa::PodSpec& pod) {
  // Restartable init containers are taken like the other init containers here: the reserve
  // cache's rule predates sidecars, and the charge is meant to be this cache's, not the kubelet's.
  std::map<std::string, numa::Quantity> apps;
  for (const auto& container : pod.containers) {
    for (const auto& [name, amount] : container.requests) apps[name] = apps[name] + amount;
  }
  for (const auto& container : pod.init_containers) {
    for (const auto& [name, amount] : container.requests) {
      auto [it, inserted] = apps.try_emplace(name, amount);
      if (!inserted && it->second < amount) it->second = amount;
    }
  }
  EffectiveRequest request;
  for (const auto& [name, amount] : apps) {
    if (!amount.IsZero()) request.emplace_back(name, amount);
  }
  return request;
}

std::optional<PublishedFingerprint> PublishedFingerprintOf(const kube::NodeResourceTopology& nrt) {
  if (auto value = nrt.Attribute(kube::kPodFingerprintAttribute); value && !value->empty()) {
    PublishedFingerprint published{*value, kube::FingerprintMethod::kAll};
    // Any other method value (a newer one such as exclude-terminal, or none) means all pods.
    if (nrt.Attribute(kube::kPodFingerprintMethodAttribute) ==
        kube::FingerprintMethodName(kube::FingerprintMethod::kWithExclusiveResources)) {
      published.method = kube::FingerprintMethod::kWithExclusiveResources;
    }
    return published;
  }
  if (auto legacy = nrt.Attribute(kube::kPodFingerprintAnnotation); legacy && !legacy->empty()) {
    return PublishedFingerprint{*legacy, kube::FingerprintMethod::kAll};
  }
  return std::nullopt;  // an empty value is "missing podset fingerprint data" upstream too
}

void KeepLegacyFingerprintAnnotation(const kube::Json& nrt_object,
                                     kube::NodeResourceTopology* nrt) {
  const std::string key(kube::kPodFingerprintAnnotation);
  std::erase_if(nrt->attributes, [&](const auto& a) { return a.name == key; });
  if (auto value = kube::AnnotationOf(nrt_object, key)) nrt->attributes.push_back({key, *value});
}

bool ForeignNrtSync::UpdatePod(const std::string& node, const std::string& uid,
                               const std::optional<FingerprintMember>& member) {
  return pods_.Update(node, uid, member);
}

ForeignNrtSync::Accounting ForeignNrtSync::Account(const kube::NodeResourceTopology& current,
                                                   const std::vector<PlacedPod>& placed) {
  Accounting accounting;
  auto published = PublishedFingerprintOf(current);
  if (!published) {
    trusted_.erase(current.name);
    accounting.nrt = current;
    accounting.replay_unstarted = true;
  } else {
    auto trusted = trusted_.find(current.name);
    if (pods_.Fingerprint(current.name, published->method) == published->value) {
      accounting.fingerprint_matches = true;
      Trusted fresh{current, {}};
      for (const auto& pod : placed) {
        if (pods_.Counts(current.name, *pod.uid, published->method)) {
          fresh.accounted.insert(*pod.uid);
        }
      }
      trusted = trusted_.insert_or_assign(current.name, std::move(fresh)).first;
    }
    if (trusted == trusted_.end()) {
      // Nothing matched yet: which pods this NRT counts is unknown, so none is assumed.
      accounting.nrt = current;
    } else {
      accounting.nrt = trusted->second.nrt;
      accounting.nrt.attributes = current.attributes;
      accounting.nrt.topology_policies = current.topology_policies;
      // Pods gone from the node leave the accounted set (their uids never come back).
      std::set<std::string> still_placed;
      for (const auto& pod : placed) {
        if (trusted->second.accounted.count(*pod.uid)) still_placed.insert(*pod.uid);
      }
      trusted->second.accounted = std::move(still_placed);
    }
    for (const auto& pod : placed) {
      if (trusted != trusted_.end() && trusted->second.accounted.count(*pod.uid)) continue;
      TakeOffEveryZone(*pod.request, &accounting.nrt);
      accounting.charged.push_back(*pod.uid);
    }
  }
  // What is left is all the node can give: the model reads `allocatable` as its capacity.
  for (auto& zone : accounting.nrt.zones) {
    for (auto& resource : zone.resources) resource.allocatable = resource.available;
  }
  return accounting;
}

void ForeignNrtSync::Forget(const std::string& node) {
  trusted_.erase(node);
}

}  // namespace numalign::extender
