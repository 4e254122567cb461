#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "kube/rest/resource.h"
#include "kube/rest/watch_event.h"

namespace numalign::kube {

using Json = nlohmann::json;

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  std::optional<std::int64_t> limit;
  std::string continue_token;
  // "" = most recent (quorum read); "0" = any (watch cache).
  std::string resource_version;
  std::string resource_version_match;  // "", "NotOlderThan", "Exact"
};

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;
  bool allow_bookmarks = true;
  std::optional<int> timeout_seconds;
};

struct WriteOptions {
  std::string field_manager;
  bool dry_run = false;
};

struct ApplyOptions {
  std::string field_manager;  // required by the API for apply
  bool force = false;
  bool dry_run = false;
};

struct DeleteOptions {
  std::optional<std::string> precondition_uid;
  std::optional<std::string> precondition_resource_version;
  std::optional<std::string> propagation_policy;  // "Orphan", "Background", "Foreground"
  std::optional<std::int64_t> grace_period_seconds;
  bool dry_run = false;
};

enum class PatchType { kMerge, kJson, kStrategicMerge };

// Typed-agnostic access to the Kubernetes API: objects are JSON. Every call throws ApiError for
// an HTTP error status, TransportError when no response came after the retries, DecodeError for
// an unreadable success body. Implementations are thread-safe.
class ApiClient {
 public:
  virtual ~ApiClient() = default;

  virtual Json Get(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                   std::string_view subresource = {}) = 0;
  // One page; see ListAll() for all pages.
  virtual Json List(const ResourceDescriptor& r, std::string_view ns,
                    const ListOptions& options = {}) = 0;
  virtual std::unique_ptr<WatchStream> Watch(const ResourceDescriptor& r, std::string_view ns,
                                             const WatchOptions& options = {}) = 0;
  // Namespace from `ns` (the object's own metadata.namespace is ignored). metadata.generateName
  // without a name lets the server pick one. `subresource` is for POST subresources (binding,
  // eviction), where `name` names the parent object.
  virtual Json Create(const ResourceDescriptor& r, std::string_view ns, const Json& object,
                      const WriteOptions& options = {}) = 0;
  virtual Json CreateSubresource(const ResourceDescriptor& r, std::string_view ns,
                                 std::string_view name, std::string_view subresource,
                                 const Json& body, const WriteOptions& options = {}) = 0;
  // PUT; metadata.resourceVersion in `object` makes it conditional (409 Conflict when stale).
  virtual Json Update(const ResourceDescriptor& r, std::string_view ns, const Json& object,
                      const WriteOptions& options = {}, std::string_view subresource = {}) = 0;
  virtual Json Patch(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                     PatchType type, const Json& patch, const WriteOptions& options = {},
                     std::string_view subresource = {}) = 0;
  // Server-side apply of a (partial) object; 409 with the conflicting fields unless force.
  virtual Json Apply(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                     const Json& object, const ApplyOptions& options,
                     std::string_view subresource = {}) = 0;
  // Returns what the server returns: the object (pods, namespaces) or a Status.
  virtual Json Delete(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                      const DeleteOptions& options = {}) = 0;
};

}  // namespace numalign::kube
