#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "kube/rest/api_client.h"

namespace numalign::controller::testing {

// An in-memory ApiClient for unit tests: objects keyed by (resource, namespace, name). Supports
// what the controller uses (get, list, create, update, merge patch, delete, eviction); watches
// and server-side apply are not modelled and throw std::logic_error. Every mutating call is
// recorded ("delete pods ns/name") so tests can assert on what the controller did.
class FakeApiClient final : public kube::ApiClient {
 public:
  void Put(const kube::ResourceDescriptor& r, const kube::Json& object);
  std::optional<kube::Json> Find(const kube::ResourceDescriptor& r, std::string_view ns,
                                 std::string_view name) const;
  std::vector<std::string> actions() const;
  void ClearActions();
  // The next eviction of this pod fails with 429 (a PodDisruptionBudget blocked it).
  void BlockEviction(const std::string& ns, const std::string& name);

  kube::Json Get(const kube::ResourceDescriptor& r, std::string_view ns, std::string_view name,
                 std::string_view subresource = {}) override;
  kube::Json List(const kube::ResourceDescriptor& r, std::string_view ns,
                  const kube::ListOptions& options = {}) override;
  std::unique_ptr<kube::WatchStream> Watch(const kube::ResourceDescriptor& r, std::string_view ns,
                                           const kube::WatchOptions& options = {}) override;
  kube::Json Create(const kube::ResourceDescriptor& r, std::string_view ns,
                    const kube::Json& object, const kube::WriteOptions& options = {}) override;
  kube::Json CreateSubresource(const kube::ResourceDescriptor& r, std::string_view ns,
                               std::string_view name, std::string_view subresource,
                               const kube::Json& body,
                               const kube::WriteOptions& options = {}) override;
  kube::Json Update(const kube::ResourceDescriptor& r, std::string_view ns,
                    const kube::Json& object, const kube::WriteOptions& options = {},
                    std::string_view subresource = {}) override;
  kube::Json Patch(const kube::ResourceDescriptor& r, std::string_view ns, std::string_view name,
                   kube::PatchType type, const kube::Json& patch,
                   const kube::WriteOptions& options = {},
                   std::string_view subresource = {}) override;
  kube::Json Apply(const kube::ResourceDescriptor& r, std::string_view ns, std::string_view name,
                   const kube::Json& object, const kube::ApplyOptions& options,
                   std::string_view subresource = {}) override;
  kube::Json Delete(const kube::ResourceDescriptor& r, std::string_view ns, std::string_view name,
                    const kube::DeleteOptions& options = {}) override;

 private:
  using Key = std::tuple<std::string, std::string, std::string>;
  static Key KeyOf(const kube::ResourceDescriptor& r, std::string_view ns, std::string_view name);
  kube::Json& MustFind(const Key& key);
  void Record(std::string action);

  mutable std::mutex mu_;
  std::map<Key, kube::Json> objects_;
  std::vector<std::string> actions_;
  std::set<std::string> blocked_evictions_;
  std::int64_t resource_version_ = 1;
};

}  // namespace numalign::controller::testing
