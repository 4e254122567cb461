#include "extender/view/admitter_templates.h"

#include "kube/objects/numalign_attributes.h"
#include "kube/objects/pod_fingerprint.h"

namespace numalign::extender {
namespace {

// Fields are length-prefixed so no value can forge a separator.
void Append(std::string& key, std::string_view field) {
  key += std::to_string(field.size());
  key += ':';
  key += field;
}

// Attributes that change while the node's shape does not; BuildNodeModel reads none of them.
bool Volatile(const std::string& attribute) {
  return attribute == kube::kHeartbeatAttribute || attribute == kube::kStateGenerationAttribute ||
         attribute == kube::kPodFingerprintAttribute;
}

}  // namespace

std::string AdmitterTemplates::ShapeKey(const kube::NodeResourceTopology& nrt) {
  std::string key;
  key.reserve(512);
  for (const auto& policy : nrt.topology_policies) Append(key, policy);
  key += '|';
  for (const auto& a : nrt.attributes) {
    if (Volatile(a.name)) continue;
    Append(key, a.name);
    Append(key, a.value);
  }
  for (const auto& zone : nrt.zones) {
    key += '|';
    Append(key, zone.name);
    Append(key, zone.type);
    Append(key, zone.parent);
    for (const auto& cost : zone.costs) {
      Append(key, cost.name);
      Append(key, std::to_string(cost.value));
    }
    key += ';';
    for (const auto& a : zone.attributes) {
      Append(key, a.name);
      Append(key, a.value);
    }
    key += ';';
    for (const auto& r : zone.resources) {
      Append(key, r.name);
      Append(key, r.capacity.ToString());
      Append(key, r.allocatable.ToString());
    }
  }
  return key;
}

std::shared_ptr<const AdmitterTemplates::Template> AdmitterTemplates::For(
    const kube::NodeResourceTopology& nrt, bool keep) {
  if (!keep) return Build(nrt);
  std::string key = ShapeKey(nrt);
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_shape_.find(key); it != by_shape_.end()) return it->second;
  }
  // Built outside the lock: creating an admitter for a large machine takes milliseconds.
  auto built = Build(nrt);
  std::lock_guard lock(mutex_);
  if (by_shape_.size() >= kMaxShapes) by_shape_.clear();
  // Another thread may have built the same shape meanwhile; either copy is the same.
  return by_shape_.emplace(std::move(key), std::move(built)).first->second;
}

std::shared_ptr<const AdmitterTemplates::Template> AdmitterTemplates::Build(
    const kube::NodeResourceTopology& nrt) {
  auto built = std::make_shared<Template>();
  auto model = BuildNodeModel(nrt, &built->error);
  if (model) {
    built->agent_mode = model->agent_mode;
    built->admitter = CreateAdmitter(*model, &built->error);
  }
  return built;
}

std::size_t AdmitterTemplates::size() const {
  std::lock_guard lock(mutex_);
  return by_shape_.size();
}

}  // namespace numalign::extender
