// Which resources the server serves, in which group-versions, and how each behaves. Built-in types
// are registered at start; creating a CustomResourceDefinition registers its served versions.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/apiserver/json_util.h"

namespace numalign::test_apiserver {

struct SubresourceInfo {
  std::string name;     // "status", "binding", "eviction"
  std::string group;    // response kind's group when it differs ("policy" for eviction)
  std::string version;  // response kind's version when it differs
  std::string kind;
  std::vector<std::string> verbs;
};

struct ResourceType {
  std::string group;  // "" for the core group
  std::string version;
  std::string plural;
  std::string singular;
  std::string kind;
  std::string list_kind;
  bool namespaced = true;
  std::vector<std::string> verbs;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  std::vector<SubresourceInfo> subresources;
  // Storage identity shared by every version (and by events in two groups).
  std::string storage_id;
  bool custom = false;                     // a CR: keys sorted, SMP unsupported, pruning
  bool has_status_subresource = false;     // status is only written through /status
  bool has_generation = false;             // metadata.generation is maintained
  bool return_object_on_delete = false;    // pods and namespaces answer DELETE with the object
  bool allow_unconditional_update = true;  // PUT without resourceVersion
  Json schema;                             // openAPIV3Schema (CRs only)
  // Quantity maps canonicalised on write, as paths of keys ("spec.containers[].resources...").
  bool canonicalize_quantities = false;

  std::string GroupVersion() const { return group.empty() ? version : group + "/" + version; }
  // "pods" or "leases.coordination.k8s.io" (how error messages name resources)
  std::string QualifiedResource() const { return group.empty() ? plural : plural + "." + group; }
  // "Pod" or "Lease.coordination.k8s.io" (how 422 messages name kinds)
  std::string QualifiedKind() const { return group.empty() ? kind : kind + "." + group; }
  std::string StorageVersionHash() const;
  const SubresourceInfo* FindSubresource(const std::string& name) const;
};

class ResourceRegistry {
 public:
  ResourceRegistry();

  std::shared_ptr<const ResourceType> Find(const std::string& group, const std::string& version,
                                           const std::string& plural) const;
  bool HasGroupVersion(const std::string& group, const std::string& version) const;
  bool HasGroup(const std::string& group) const;
  // Groups in discovery order; versions of each group in preference order.
  std::vector<std::pair<std::string, std::vector<std::string>>> Groups() const;
  std::vector<std::shared_ptr<const ResourceType>> ResourcesIn(const std::string& group,
                                                               const std::string& version) const;
  std::vector<std::shared_ptr<const ResourceType>> All() const;

  // Registers (or replaces) the served versions of a CustomResourceDefinition object.
  void RegisterCustomResourceDefinition(const Json& crd);
  void UnregisterCustomResourceDefinition(const std::string& crd_name);
  // Storage id of the resources a CRD serves ("cr:<group>/<plural>").
  static std::string CustomStorageId(const std::string& group, const std::string& plural);

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const ResourceType>> types_;
  std::vector<std::string> group_order_;
};

// Orders Kubernetes versions as discovery does: GA > beta > alpha, then by number, descending.
bool KubeVersionLess(const std::string& a, const std::string& b);

}  // namespace numalign::test_apiserver
