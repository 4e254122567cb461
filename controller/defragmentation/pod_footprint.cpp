#include "controller/defragmentation/pod_footprint.h"

#include <algorithm>

#include "kube/objects/object_meta.h"
#include "numa/allocation/allocation_annotation.h"
#include "numa/pod/quantity.h"

namespace numalign::controller {

namespace {

ResourceAmounts ParseAmounts(const std::map<std::string, std::string>& quantities) {
  ResourceAmounts out;
  for (const auto& [resource, text] : quantities) {
    std::string error;
    if (auto q = numa::Quantity::Parse(text, &error); q && !q->IsNegative()) {
      out[resource] = q->MilliValueCeil();
    }
  }
  return out;
}

}  // namespace

ResourceAmounts EffectiveRequests(const kube::PodView& pod) {
  ResourceAmounts sum;
  for (const auto& c : pod.Containers()) {
    // For Guaranteed pods requests == limits; limits cover a request left to default.
    auto amounts = ParseAmounts(c.requests.empty() ? c.limits : c.requests);
    for (const auto& [r, v] : amounts) sum[r] += v;
  }
  for (const auto& c : pod.InitContainers()) {
    if (c.sidecar) continue;
    for (const auto& [r, v] : ParseAmounts(c.requests.empty() ? c.limits : c.requests)) {
      sum[r] = std::max(sum[r], v);
    }
  }
  return sum;
}

PodFootprint MakeFootprint(const kube::PodView& pod) {
  PodFootprint f;
  f.ns = pod.Namespace();
  f.name = pod.Name();
  f.uid = pod.Uid();
  f.node = pod.NodeName();
  f.priority = static_cast<std::int32_t>(kube::IntAt(pod.json(), "/spec/priority").value_or(0));
  f.labels = pod.Labels();
  f.movable = (f.labels.contains(kMovableKey) && f.labels.at(kMovableKey) == "true") ||
              pod.Annotation(kMovableKey).value_or("") == "true";
  f.requests = EffectiveRequests(pod);
  const auto text = pod.Annotation(std::string(numa::kAllocationAnnotation));
  if (!text) return f;
  std::string error;
  const auto decision = numa::ParseAllocationDecision(*text, &error);
  if (!decision) return f;
  std::vector<kube::ContainerView> containers = pod.Containers();
  for (const auto& c : pod.InitContainers()) {
    if (c.sidecar) containers.push_back(c);  // only sidecars keep holding resources
  }
  for (const auto& c : containers) {
    const auto* placed = decision->Find(c.name);
    if (placed == nullptr) continue;
    const auto amounts = ParseAmounts(c.requests.empty() ? c.limits : c.requests);
    for (const auto& [resource, ids] : placed->numa) {
      auto it = amounts.find(resource);
      if (it == amounts.end() || ids.empty()) continue;
      const auto share = it->second / static_cast<std::int64_t>(ids.size());
      for (int id : ids) f.per_zone["node-" + std::to_string(id)][resource] += share;
    }
  }
  return f;
}

}  // namespace numalign::controller
