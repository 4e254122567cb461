#include "tests/support/apiserver/discovery.h"

#include <openssl/sha.h>

namespace numalign::test_apiserver {
namespace {

Json GroupVersionEntry(const std::string& group, const std::string& version) {
  return {{"groupVersion", group.empty() ? version : group + "/" + version}, {"version", version}};
}

Json AggregatedResource(const ResourceType& type) {
  Json resource = Json::object();
  resource["resource"] = type.plural;
  resource["responseKind"] = {{"group", type.custom ? type.group : ""},
                              {"version", type.custom ? type.version : ""},
                              {"kind", type.kind}};
  resource["scope"] = type.namespaced ? "Namespaced" : "Cluster";
  resource["singularResource"] = type.singular;
  resource["verbs"] = type.verbs;
  if (!type.short_names.empty()) resource["shortNames"] = type.short_names;
  if (!type.categories.empty()) resource["categories"] = type.categories;
  if (!type.subresources.empty()) {
    Json subresources = Json::array();
    for (const auto& sub : type.subresources)
      subresources.push_back({{"subresource", sub.name},
                              {"responseKind",
                               {{"group", type.custom ? type.group : sub.group},
                                {"version", type.custom ? type.version : sub.version},
                                {"kind", sub.kind}}},
                              {"verbs", sub.verbs}});
    resource["subresources"] = subresources;
  }
  return resource;
}

}  // namespace

Json ApiVersionsDocument(const std::string& server_address) {
  return {{"kind", "APIVersions"},
          {"versions", Json::array({"v1"})},
          {"serverAddressByClientCIDRs",
           Json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}})}};
}

Json ApiGroupDocument(const ResourceRegistry& registry, const std::string& group) {
  for (const auto& [name, versions] : registry.Groups()) {
    if (name != group || name.empty()) continue;
    Json version_list = Json::array();
    for (const auto& version : versions) version_list.push_back(GroupVersionEntry(name, version));
    return {{"kind", "APIGroup"},
            {"apiVersion", "v1"},
            {"name", name},
            {"versions", version_list},
            {"preferredVersion", GroupVersionEntry(name, versions.front())}};
  }
  return nullptr;
}

Json ApiGroupListDocument(const ResourceRegistry& registry) {
  Json groups = Json::array();
  for (const auto& [name, versions] : registry.Groups()) {
    if (name.empty()) continue;
    Json group = ApiGroupDocument(registry, name);
    group.erase("kind");
    group.erase("apiVersion");
    groups.push_back(group);
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

Json ApiResourceListDocument(const ResourceRegistry& registry, const std::string& group,
                             const std::string& version) {
  Json resources = Json::array();
  for (const auto& type : registry.ResourcesIn(group, version)) {
    Json entry = Json::object();
    entry["name"] = type->plural;
    entry["singularName"] = type->singular;
    entry["namespaced"] = type->namespaced;
    entry["kind"] = type->kind;
    entry["verbs"] = type->verbs;
    if (!type->short_names.empty()) entry["shortNames"] = type->short_names;
    if (!type->categories.empty()) entry["categories"] = type->categories;
    if (type->plural != "bindings") entry["storageVersionHash"] = type->StorageVersionHash();
    resources.push_back(entry);
    for (const auto& sub : type->subresources) {
      Json sub_entry = Json::object();
      sub_entry["name"] = type->plural + "/" + sub.name;
      sub_entry["singularName"] = "";
      sub_entry["namespaced"] = type->namespaced;
      if (!sub.group.empty()) sub_entry["group"] = sub.group;
      if (!sub.version.empty()) sub_entry["version"] = sub.version;
      sub_entry["kind"] = sub.kind;
      sub_entry["verbs"] = sub.verbs;
      resources.push_back(sub_entry);
    }
  }
  Json document = {{"kind", "APIResourceList"}};
  if (!group.empty()) document["apiVersion"] = "v1";
  document["groupVersion"] = group.empty() ? version : group + "/" + version;
  document["resources"] = resources;
  return document;
}

Json AggregatedDiscoveryDocument(const ResourceRegistry& registry, bool core) {
  Json items = Json::array();
  for (const auto& [name, versions] : registry.Groups()) {
    if (core != name.empty()) continue;
    Json item = Json::object();
    item["metadata"] = core ? Json{{"creationTimestamp", nullptr}}
                            : Json{{"name", name}, {"creationTimestamp", nullptr}};
    Json version_list = Json::array();
    for (const auto& version : versions) {
      Json resources = Json::array();
      for (const auto& type : registry.ResourcesIn(name, version))
        resources.push_back(AggregatedResource(*type));
      version_list.push_back(
          {{"version", version}, {"resources", resources}, {"freshness", "Current"}});
    }
    item["versions"] = version_list;
    items.push_back(item);
  }
  return {{"kind", "APIGroupDiscoveryList"},
          {"apiVersion", "apidiscovery.k8s.io/v2"},
          {"metadata", Json::object()},
          {"items", items}};
}

std::string VersionDocument() {
  Json version = {{"major", "1"},
                  {"minor", "32"},
                  {"gitVersion", "v1.32.13"},
                  {"gitCommit", "63adf010aa20e104c0b7043b47f42f50c9f72b17"},
                  {"gitTreeState", "clean"},
                  {"buildDate", "2026-11-22T10:15:48Z"},
                  {"goVersion", "go1.23.5"},
                  {"compiler", "gc"},
                  {"platform", "linux/amd64"}};
  return version.dump(2);
}

std::string Sha512Hex(const std::string& body) {
  unsigned char digest[SHA512_DIGEST_LENGTH];
  SHA512(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  static const char* kHex = "0123456789ABCDEF";
  std::string hex;
  for (unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 15];
  }
  return hex;
}

Json OpenApiV3Root(const ResourceRegistry& registry) {
  Json paths = Json::object();
  for (const auto& [group, versions] : registry.Groups())
    for (const auto& version : versions) {
      std::string path = group.empty() ? "api/" + version : "apis/" + group + "/" + version;
      std::string body = EncodeCompact(OpenApiV3GroupVersion(registry, path));
      paths[path] = {{"serverRelativeURL", "/openapi/v3/" + path + "?hash=" + Sha512Hex(body)}};
    }
  return {{"paths", paths}};
}

Json OpenApiV3GroupVersion(const ResourceRegistry& registry, const std::string& path) {
  std::string group, version;
  if (path.rfind("api/", 0) == 0) {
    version = path.substr(4);
  } else if (path.rfind("apis/", 0) == 0) {
    std::string rest = path.substr(5);
    size_t slash = rest.find('/');
    if (slash == std::string::npos) return nullptr;
    group = rest.substr(0, slash);
    version = rest.substr(slash + 1);
  } else {
    return nullptr;
  }
  if (!registry.HasGroupVersion(group, version)) return nullptr;
  // Only what kubectl's field-validation probe reads: a PATCH operation per kind, tagged with its
  // group-version-kind and declaring the fieldValidation query parameter.
  Json paths = Json::object();
  for (const auto& type : registry.ResourcesIn(group, version)) {
    if (type->plural == "bindings") continue;
    std::string prefix = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
    std::string item_path =
        prefix + (type->namespaced ? "/namespaces/{namespace}/" : "/") + type->plural + "/{name}";
    Json gvk = {{"group", group}, {"version", version}, {"kind", type->kind}};
    Json parameters = Json::array(
        {{{"name", "fieldValidation"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
         {{"name", "fieldManager"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
         {{"name", "dryRun"}, {"in", "query"}, {"schema", {{"type", "string"}}}}});
    Json operation = {{"operationId", "patch" + type->kind},
                      {"parameters", parameters},
                      {"responses", {{"200", {{"description", "OK"}}}}},
                      {"x-kubernetes-action", "patch"},
                      {"x-kubernetes-group-version-kind", gvk}};
    Json post = operation;
    post["operationId"] = "create" + type->kind;
    post["x-kubernetes-action"] = "post";
    paths[item_path] = {{"patch", operation}};
    std::string collection =
        prefix + (type->namespaced ? "/namespaces/{namespace}/" : "/") + type->plural;
    paths[collection] = {{"post", post}};
  }
  return {{"openapi", "3.0.0"},
          {"info", {{"title", "Kubernetes"}, {"version", "v1.32.13"}}},
          {"paths", paths},
          {"components", {{"schemas", Json::object()}}}};
}

}  // namespace numalign::test_apiserver
