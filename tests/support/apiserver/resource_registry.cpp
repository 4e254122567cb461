#include "tests/support/apiserver/resource_registry.h"

#include <openssl/sha.h>

#include <algorithm>

namespace numalign::test_apiserver {
namespace {

const std::vector<std::string> kStandardVerbs = {"create", "delete", "deletecollection", "get",
                                                 "list",   "patch",  "update",           "watch"};
const std::vector<std::string> kCustomVerbs = {"delete", "deletecollection", "get",    "list",
                                               "patch",  "create",           "update", "watch"};
const std::vector<std::string> kStatusVerbs = {"get", "patch", "update"};

std::shared_ptr<ResourceType> Make(std::string group, std::string version, std::string plural,
                                   std::string singular, std::string kind, bool namespaced) {
  auto type = std::make_shared<ResourceType>();
  type->group = std::move(group);
  type->version = std::move(version);
  type->plural = std::move(plural);
  type->singular = std::move(singular);
  type->kind = std::move(kind);
  type->list_kind = type->kind + "List";
  type->namespaced = namespaced;
  type->verbs = kStandardVerbs;
  type->storage_id = (type->group.empty() ? "core" : type->group) + "/" + type->plural;
  return type;
}

// Parses "v1", "v2beta1", "v1alpha2" into (stability, major, minor); stability 3=GA 2=beta 1=alpha.
std::tuple<int, int, int> VersionKey(const std::string& version) {
  int major = 0, minor = 0, stability = 0;
  if (version.size() < 2 || version[0] != 'v') return {0, 0, 0};
  size_t i = 1;
  while (i < version.size() && std::isdigit(static_cast<unsigned char>(version[i])))
    major = major * 10 + (version[i++] - '0');
  std::string rest = version.substr(i);
  if (rest.empty()) return {3, major, 0};
  if (rest.rfind("beta", 0) == 0) {
    stability = 2;
    rest = rest.substr(4);
  } else if (rest.rfind("alpha", 0) == 0) {
    stability = 1;
    rest = rest.substr(5);
  } else {
    return {0, 0, 0};
  }
  for (char c : rest)
    if (std::isdigit(static_cast<unsigned char>(c))) minor = minor * 10 + (c - '0');
  return {stability, major, minor};
}

}  // namespace

bool KubeVersionLess(const std::string& a, const std::string& b) {
  auto ka = VersionKey(a), kb = VersionKey(b);
  if (ka != kb) return ka > kb;  // "less" means "preferred first"
  return a < b;
}

std::string ResourceType::StorageVersionHash() const {
  std::string input = group + "/" + version + "/" + kind;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(digest), 8));
}

const SubresourceInfo* ResourceType::FindSubresource(const std::string& name) const {
  for (const auto& sub : subresources)
    if (sub.name == name) return &sub;
  return nullptr;
}

ResourceRegistry::ResourceRegistry() {
  // Core group: the resources numalign uses, in /api/v1's alphabetical order.
  auto bindings = Make("", "v1", "bindings", "binding", "Binding", true);
  bindings->verbs = {"create"};
  auto configmaps = Make("", "v1", "configmaps", "configmap", "ConfigMap", true);
  configmaps->short_names = {"cm"};
  auto events = Make("", "v1", "events", "event", "Event", true);
  events->short_names = {"ev"};
  events->storage_id = "events";
  auto namespaces = Make("", "v1", "namespaces", "namespace", "Namespace", false);
  namespaces->verbs = {"create", "delete", "get", "list", "patch", "update", "watch"};
  namespaces->short_names = {"ns"};
  namespaces->subresources = {{"finalize", "", "", "Namespace", {"update"}},
                              {"status", "", "", "Namespace", kStatusVerbs}};
  namespaces->has_status_subresource = true;
  namespaces->return_object_on_delete = true;
  auto nodes = Make("", "v1", "nodes", "node", "Node", false);
  nodes->short_names = {"no"};
  nodes->subresources = {{"status", "", "", "Node", kStatusVerbs}};
  nodes->has_status_subresource = true;
  nodes->canonicalize_quantities = true;
  auto pods = Make("", "v1", "pods", "pod", "Pod", true);
  pods->short_names = {"po"};
  pods->categories = {"all"};
  pods->subresources = {{"binding", "", "", "Binding", {"create"}},
                        {"eviction", "policy", "v1", "Eviction", {"create"}},
                        {"status", "", "", "Pod", kStatusVerbs}};
  pods->has_status_subresource = true;
  pods->return_object_on_delete = true;
  pods->canonicalize_quantities = true;

  auto events_v1 = Make("events.k8s.io", "v1", "events", "event", "Event", true);
  events_v1->short_names = {"ev"};
  events_v1->storage_id = "events";

  auto pdbs = Make("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget",
                   "PodDisruptionBudget", true);
  pdbs->short_names = {"pdb"};
  pdbs->subresources = {{"status", "", "", "PodDisruptionBudget", kStatusVerbs}};
  pdbs->has_status_subresource = true;
  pdbs->has_generation = true;

  auto crds = Make("apiextensions.k8s.io", "v1", "customresourcedefinitions",
                   "customresourcedefinition", "CustomResourceDefinition", false);
  crds->short_names = {"crd", "crds"};
  crds->categories = {"api-extensions"};
  crds->subresources = {{"status", "", "", "CustomResourceDefinition", kStatusVerbs}};
  crds->has_status_subresource = true;
  crds->has_generation = true;
  crds->return_object_on_delete = true;

  auto leases = Make("coordination.k8s.io", "v1", "leases", "lease", "Lease", true);
  leases->allow_unconditional_update = false;

  types_ = {bindings, configmaps, events, namespaces, nodes, pods, events_v1, pdbs, crds, leases};
  group_order_ = {"", "events.k8s.io", "policy", "apiextensions.k8s.io", "coordination.k8s.io"};
}

std::shared_ptr<const ResourceType> ResourceRegistry::Find(const std::string& group,
                                                           const std::string& version,
                                                           const std::string& plural) const {
  std::lock_guard lock(mutex_);
  for (const auto& type : types_)
    if (type->group == group && type->version == version && type->plural == plural) return type;
  return nullptr;
}

bool ResourceRegistry::HasGroupVersion(const std::string& group, const std::string& version) const {
  std::lock_guard lock(mutex_);
  for (const auto& type : types_)
    if (type->group == group && type->version == version) return true;
  return false;
}

bool ResourceRegistry::HasGroup(const std::string& group) const {
  std::lock_guard lock(mutex_);
  for (const auto& type : types_)
    if (type->group == group) return true;
  return false;
}

std::vector<std::pair<std::string, std::vector<std::string>>> ResourceRegistry::Groups() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const auto& group : group_order_) {
    std::vector<std::string> versions;
    for (const auto& type : types_)
      if (type->group == group &&
          std::find(versions.begin(), versions.end(), type->version) == versions.end())
        versions.push_back(type->version);
    if (versions.empty()) continue;
    std::sort(versions.begin(), versions.end(), KubeVersionLess);
    groups.emplace_back(group, versions);
  }
  return groups;
}

std::vector<std::shared_ptr<const ResourceType>> ResourceRegistry::ResourcesIn(
    const std::string& group, const std::string& version) const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<const ResourceType>> found;
  for (const auto& type : types_)
    if (type->group == group && type->version == version) found.push_back(type);
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a->plural < b->plural; });
  return found;
}

std::vector<std::shared_ptr<const ResourceType>> ResourceRegistry::All() const {
  std::lock_guard lock(mutex_);
  return types_;
}

std::string ResourceRegistry::CustomStorageId(const std::string& group, const std::string& plural) {
  return "cr:" + group + "/" + plural;
}

void ResourceRegistry::RegisterCustomResourceDefinition(const Json& crd) {
  const Json* spec = test_apiserver::Find(crd, "spec");
  if (!spec) return;
  std::string group = GetString(*spec, "group");
  const Json* names = test_apiserver::Find(*spec, "names");
  if (!names) return;
  std::string plural = GetString(*names, "plural");
  std::string crd_name = GetString(crd["metadata"], "name");
  UnregisterCustomResourceDefinition(crd_name);

  std::lock_guard lock(mutex_);
  const Json* versions = test_apiserver::Find(*spec, "versions");
  if (!versions || !versions->is_array()) return;
  for (const auto& version : *versions) {
    const Json* served = test_apiserver::Find(version, "served");
    if (!served || !served->is_boolean() || !served->get<bool>()) continue;
    auto type = std::make_shared<ResourceType>();
    type->group = group;
    type->version = GetString(version, "name");
    type->plural = plural;
    type->singular = GetString(*names, "singular");
    if (type->singular.empty()) {
      std::string kind = GetString(*names, "kind");
      std::transform(kind.begin(), kind.end(), std::back_inserter(type->singular),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    type->kind = GetString(*names, "kind");
    type->list_kind = GetString(*names, "listKind");
    if (type->list_kind.empty()) type->list_kind = type->kind + "List";
    type->namespaced = GetString(*spec, "scope") != "Cluster";
    type->verbs = kCustomVerbs;
    if (const Json* short_names = test_apiserver::Find(*names, "shortNames");
        short_names && short_names->is_array())
      for (const auto& s : *short_names)
        if (s.is_string()) type->short_names.push_back(s.get<std::string>());
    if (const Json* categories = test_apiserver::Find(*names, "categories");
        categories && categories->is_array())
      for (const auto& s : *categories)
        if (s.is_string()) type->categories.push_back(s.get<std::string>());
    type->storage_id = CustomStorageId(group, plural);
    type->custom = true;
    type->has_generation = true;
    if (const Json* status = FindPath(version, {"subresources", "status"})) {
      (void)status;
      type->has_status_subresource = true;
      type->subresources.push_back({"status", "", "", type->kind, kStatusVerbs});
    }
    type->allow_unconditional_update = false;
    if (const Json* schema = FindPath(version, {"schema", "openAPIV3Schema"}))
      type->schema = *schema;
    types_.push_back(type);
  }
  if (std::find(group_order_.begin(), group_order_.end(), group) == group_order_.end())
    group_order_.push_back(group);
}

void ResourceRegistry::UnregisterCustomResourceDefinition(const std::string& crd_name) {
  std::lock_guard lock(mutex_);
  std::erase_if(types_, [&](const auto& type) {
    return type->custom && type->plural + "." + type->group == crd_name;
  });
}

}  // namespace numalign::test_apiserver
