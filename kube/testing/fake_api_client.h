#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kube/rest/api_client.h"

namespace numalign::kube {

// An in-memory ApiClient for unit tests of code that talks to the API (agent, extender,
// controller). It keeps objects per resource with a global resourceVersion, and implements:
// optimistic concurrency on Update (409), AlreadyExists/NotFound, generateName, uid,
// label selectors (k=v, k!=v, k, !k) and field selectors (metadata.name, metadata.namespace,
// spec.nodeName), JSON merge patch and JSON patch (strategic merge is treated as merge), apply as
// a merge without field ownership, delete preconditions, pods/binding and pods/eviction (with
// its preconditions, and 429 for pods a test marks as protected by a PodDisruptionBudget), the
// status subresource, and watches that see every later change.
// It is a test double, not an API server: no admission, validation, defaults or managedFields;
// use the in-repo test API server (tests/support) when those matter. Watches must not outlive
// the client.
class FakeApiClient final : public ApiClient {
 public:
  Json Get(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
           std::string_view subresource = {}) override;
  Json List(const ResourceDescriptor& r, std::string_view ns,
            const ListOptions& options = {}) override;
  std::unique_ptr<WatchStream> Watch(const ResourceDescriptor& r, std::string_view ns,
                                     const WatchOptions& options = {}) override;
  Json Create(const ResourceDescriptor& r, std::string_view ns, const Json& object,
              const WriteOptions& options = {}) override;
  Json CreateSubresource(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                         std::string_view subresource, const Json& body,
                         const WriteOptions& options = {}) override;
  Json Update(const ResourceDescriptor& r, std::string_view ns, const Json& object,
              const WriteOptions& options = {}, std::string_view subresource = {}) override;
  Json Patch(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
             PatchType type, const Json& patch, const WriteOptions& options = {},
             std::string_view subresource = {}) override;
  Json Apply(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
             const Json& object, const ApplyOptions& options,
             std::string_view subresource = {}) override;
  Json Delete(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
              const DeleteOptions& options = {}) override;

  // Seeds or replaces an object as some other writer would (no action recorded, no
  // resourceVersion check); watches see it. uid and creationTimestamp are filled in only when
  // missing, so a test can fix them to exercise uid preconditions and ages.
  void Put(const ResourceDescriptor& r, const Json& object);
  // The stored object, or nullopt: for assertions that should not go through Get's 404.
  std::optional<Json> Find(const ResourceDescriptor& r, std::string_view ns,
                           std::string_view name) const;
  // Every eviction of this pod fails with 429 TooManyRequests, as when a PodDisruptionBudget
  // covering it allows no disruption; the pod stays.
  void BlockEviction(std::string_view ns, std::string_view name);

  // Every mutating call, as "POST pods demo/web", "PATCH nodes n1/status",
  // "POST pods demo/web/eviction", for assertions; attempts that failed are included.
  std::vector<std::string> actions() const;
  // Forgets the actions so far, to assert on what a later step does alone.
  void ClearActions();
  // Ends every open watch (clients must re-watch), like a dropped connection.
  void DropWatches();

 private:
  struct Watcher;
  using Key = std::string;  // "resource|namespace|name"

  Json WriteLocked(const ResourceDescriptor& r, Json object);
  Json DeleteLocked(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                    const DeleteOptions& options);
  Json EvictLocked(std::string_view ns, std::string_view name, const Json& eviction);
  void Notify(const ResourceDescriptor& r, WatchEventType type, const Json& object);
  void Record(std::string action);

  mutable std::mutex mu_;
  std::map<Key, Json> objects_;
  std::int64_t resource_version_ = 100;
  std::uint64_t uid_counter_ = 0;
  std::vector<std::string> actions_;
  std::vector<std::shared_ptr<Watcher>> watchers_;
  std::set<std::string, std::less<>> blocked_evictions_;  // "namespace/name"
  struct HistoryEntry {
    std::int64_t resource_version;
    std::string resource;
    WatchEventType type;
    Json object;
  };
  std::vector<HistoryEntry> history_;
};

}  // namespace numalign::kube
