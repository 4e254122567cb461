#include "controller/testing/fake_api_client.h"

#include <stdexcept>

#include "kube/objects/object_meta.h"
#include "kube/rest/api_error.h"

namespace numalign::controller::testing {

using kube::Json;

FakeApiClient::Key FakeApiClient::KeyOf(const kube::ResourceDescriptor& r, std::string_view ns,
                                        std::string_view name) {
  return {r.resource, r.namespaced ? std::string(ns) : std::string(), std::string(name)};
}

void FakeApiClient::Put(const kube::ResourceDescriptor& r, const Json& object) {
  std::lock_guard lock(mu_);
  Json copy = object;
  copy["metadata"]["resourceVersion"] = std::to_string(++resource_version_);
  if (!copy["metadata"].contains("uid")) {
    copy["metadata"]["uid"] = "uid-" + copy["metadata"].value("name", std::string());
  }
  objects_[KeyOf(r, copy["metadata"].value("namespace", ""), copy["metadata"].value("name", ""))] =
      copy;
}

std::optional<Json> FakeApiClient::Find(const kube::ResourceDescriptor& r, std::string_view ns,
                                        std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = objects_.find(KeyOf(r, ns, name));
  if (it == objects_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> FakeApiClient::actions() const {
  std::lock_guard lock(mu_);
  return actions_;
}

void FakeApiClient::ClearActions() {
  std::lock_guard lock(mu_);
  actions_.clear();
}

void FakeApiClient::BlockEviction(const std::string& ns, const std::string& name) {
  std::lock_guard lock(mu_);
  blocked_evictions_.insert(ns + "/" + name);
}

Json& FakeApiClient::MustFind(const Key& key) {
  auto it = objects_.find(key);
  if (it == objects_.end()) {
    throw kube::ApiError(404, "NotFound",
                         std::get<0>(key) + " \"" + std::get<2>(key) + "\" not found");
  }
  return it->second;
}

void FakeApiClient::Record(std::string action) {
  actions_.push_back(std::move(action));
}

Json FakeApiClient::Get(const kube::ResourceDescriptor& r, std::string_view ns,
                        std::string_view name, std::string_view) {
  std::lock_guard lock(mu_);
  return MustFind(KeyOf(r, ns, name));
}

Json FakeApiClient::List(const kube::ResourceDescriptor& r, std::string_view ns,
                         const kube::ListOptions&) {
  std::lock_guard lock(mu_);
  Json items = Json::array();
  for (const auto& [key, object] : objects_) {
    if (std::get<0>(key) != r.resource) continue;
    if (r.namespaced && !ns.empty() && std::get<1>(key) != ns) continue;
    items.push_back(object);
  }
  return Json{{"kind", r.kind + "List"},
              {"metadata", {{"resourceVersion", std::to_string(resource_version_)}}},
              {"items", items}};
}

std::unique_ptr<kube::WatchStream> FakeApiClient::Watch(const kube::ResourceDescriptor&,
                                                        std::string_view,
                                                        const kube::WatchOptions&) {
  throw std::logic_error("FakeApiClient does not model watches");
}

Json FakeApiClient::Create(const kube::ResourceDescriptor& r, std::string_view ns,
                           const Json& object, const kube::WriteOptions&) {
  Json copy = object;
  if (r.namespaced) copy["metadata"]["namespace"] = std::string(ns);
  {
    std::lock_guard lock(mu_);
    if (!copy["metadata"].contains("name")) {
      copy["metadata"]["name"] = copy["metadata"].value("generateName", std::string("obj-")) +
                                 std::to_string(resource_version_ + 1);
    }
    Record("create " + r.resource + " " + std::string(ns) + "/" +
           copy["metadata"]["name"].get<std::string>());
  }
  Put(r, copy);
  return *Find(r, ns, copy["metadata"]["name"].get<std::string>());
}

Json FakeApiClient::CreateSubresource(const kube::ResourceDescriptor& r, std::string_view ns,
                                      std::string_view name, std::string_view subresource,
                                      const Json&, const kube::WriteOptions&) {
  std::lock_guard lock(mu_);
  const std::string who = std::string(ns) + "/" + std::string(name);
  if (subresource == "eviction" && blocked_evictions_.contains(who)) {
    throw kube::ApiError(429, "TooManyRequests",
                         "Cannot evict pod as it would violate the pod's disruption budget.");
  }
  MustFind(KeyOf(r, ns, name));
  Record(std::string(subresource) + " " + r.resource + " " + who);
  if (subresource == "eviction") objects_.erase(KeyOf(r, ns, name));
  return Json{{"kind", "Status"}, {"status", "Success"}};
}

Json FakeApiClient::Update(const kube::ResourceDescriptor& r, std::string_view ns,
                           const Json& object, const kube::WriteOptions&,
                           std::string_view subresource) {
  std::lock_guard lock(mu_);
  const auto name = object["metadata"].value("name", std::string());
  Json& stored = MustFind(KeyOf(r, ns, name));
  const auto expected = object["metadata"].value("resourceVersion", std::string());
  if (!expected.empty() && expected != stored["metadata"].value("resourceVersion", "")) {
    throw kube::ApiError(409, "Conflict", "the object has been modified");
  }
  Record("update " + r.resource + (subresource.empty() ? "" : "/" + std::string(subresource)) +
         " " + std::string(ns) + "/" + name);
  stored = object;
  stored["metadata"]["resourceVersion"] = std::to_string(++resource_version_);
  return stored;
}

Json FakeApiClient::Patch(const kube::ResourceDescriptor& r, std::string_view ns,
                          std::string_view name, kube::PatchType type, const Json& patch,
                          const kube::WriteOptions&, std::string_view subresource) {
  std::lock_guard lock(mu_);
  if (type != kube::PatchType::kMerge) throw std::logic_error("FakeApiClient: merge patch only");
  Json& stored = MustFind(KeyOf(r, ns, name));
  const Json* expected = kube::FindPath(patch, "/metadata/resourceVersion");
  if (expected != nullptr && *expected != stored["metadata"]["resourceVersion"]) {
    throw kube::ApiError(409, "Conflict", "the object has been modified");
  }
  Record("patch " + r.resource + (subresource.empty() ? "" : "/" + std::string(subresource)) + " " +
         (r.namespaced ? std::string(ns) + "/" : "") + std::string(name));
  stored.merge_patch(patch);
  stored["metadata"]["resourceVersion"] = std::to_string(++resource_version_);
  return stored;
}

Json FakeApiClient::Apply(const kube::ResourceDescriptor&, std::string_view, std::string_view,
                          const Json&, const kube::ApplyOptions&, std::string_view) {
  throw std::logic_error("FakeApiClient does not model server-side apply");
}

Json FakeApiClient::Delete(const kube::ResourceDescriptor& r, std::string_view ns,
                           std::string_view name, const kube::DeleteOptions&) {
  std::lock_guard lock(mu_);
  Json stored = MustFind(KeyOf(r, ns, name));
  objects_.erase(KeyOf(r, ns, name));
  Record("delete " + r.resource + " " + (r.namespaced ? std::string(ns) + "/" : "") +
         std::string(name));
  return stored;
}

}  // namespace numalign::controller::testing
