// The API semantics behind the HTTP server: routing of /api and /apis paths, discovery, CRUD with
// kube-apiserver's rules, subresources (status, binding, eviction), watches, authentication and
// test faults. Thread-safe: every request may run on its own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "tests/support/apiserver/faults.h"
#include "tests/support/apiserver/http_types.h"
#include "tests/support/apiserver/managed_fields.h"
#include "tests/support/apiserver/object_store.h"
#include "tests/support/apiserver/resource_registry.h"

namespace numalign::test_apiserver {

struct CoreOptions {
  std::string bearer_token;    // "" = no authentication
  size_t history_size = 1000;  // watch history (events) before 410 Gone
  std::chrono::milliseconds bookmark_interval{60000};
  std::string server_address = "127.0.0.1:0";  // for /api's serverAddressByClientCIDRs
};

class ApiServerCore {
 public:
  explicit ApiServerCore(CoreOptions options);
  ~ApiServerCore();

  ApiResponse Handle(const ApiRequest& request);

  void SetServerAddress(const std::string& address) { options_.server_address = address; }
  void DropAllWatches() { store_.CloseAllWatchers(); }
  void CompactHistory() { store_.Compact(); }
  void InjectFault(FaultSpec spec) { faults_.Add(std::move(spec)); }
  void ClearFaults() { faults_.Clear(); }
  // Makes every open watch stream end (used by Stop()).
  void Shutdown();
  bool shutting_down() const { return shutting_down_; }
  ObjectStore& store() { return store_; }
  ResourceRegistry& registry() { return registry_; }

 private:
  struct Target;
  struct ListQuery;

  ApiResponse Route(const ApiRequest& request);
  ApiResponse HandleTesting(const ApiRequest& request);
  ApiResponse HandleDiscovery(const ApiRequest& request, bool* handled);
  void Authorize(const ApiRequest& request, const Target* target, const std::string& verb);

  ApiResponse Get(const ApiRequest& request, const Target& target);
  ApiResponse List(const ApiRequest& request, const Target& target);
  ApiResponse Watch(const ApiRequest& request, const Target& target);
  ApiResponse Create(const ApiRequest& request, const Target& target);
  ApiResponse Update(const ApiRequest& request, const Target& target);
  ApiResponse Patch(const ApiRequest& request, const Target& target);
  ApiResponse Delete(const ApiRequest& request, const Target& target);
  ApiResponse DeleteCollection(const ApiRequest& request, const Target& target);
  ApiResponse Bind(const ApiRequest& request, const Target& target);
  ApiResponse Evict(const ApiRequest& request, const Target& target);

  // Shared write path (under the store lock): validation, generation, managed fields, finalizer
  // completion, no-op detection, storage. Returns the stored object.
  Json CommitUpdateLocked(const Target& target, const Json& old_object, Json new_object,
                          const FieldManager* manager, bool count_as_update);
  Json CreateLocked(const ApiRequest& request, const Target& target, Json object,
                    const FieldManager& manager, bool dry_run, std::vector<std::string>* warnings,
                    const Json* apply_managed = nullptr);
  // Deletes now (DELETED event); for pods first records the deletionTimestamp (MODIFIED).
  Json DeleteNowLocked(const Target& target, const Json& object);
  void AfterCreateLocked(const Target& target, const Json& stored);
  void AfterDeleteLocked(const Target& target, const Json& deleted);
  void FinishNamespaceDeletionLocked(const std::string& ns);

  Json DecodeBody(const ApiRequest& request, const Target& target);
  FieldManager ManagerFor(const ApiRequest& request, const Target& target, bool status) const;
  ApiResponse ObjectResponse(const ApiRequest& request, const Target& target, const Json& stored,
                             int status);
  std::string FieldPathOf(const Target& target) const;

  CoreOptions options_;
  ResourceRegistry registry_;
  ObjectStore store_;
  FaultInjector faults_;
  std::atomic<bool> shutting_down_{false};
  std::string flowschema_uid_;
  std::string prioritylevel_uid_;
};

}  // namespace numalign::test_apiserver
