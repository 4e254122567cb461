#pragma once

#include <map>
#include <mutex>
#include <string>

#include "kube/rest/api_client.h"

namespace numalign::sim {

// The slice of the API server the extender's bind needs in-process: pods, read by name,
// merge-patched, bound through pods/binding. Every other call throws std::logic_error (nothing
// in the in-process placement makes it). Thread-safe like every ApiClient.
class SimPodApi final : public kube::ApiClient {
 public:
  // The simulator's own writes (pod creation, status changes, deletion).
  void Store(const kube::Json& pod);
  void Erase(const std::string& ns, const std::string& name);
  kube::Json Pod(const std::string& ns, const std::string& name) const;

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
  kube::Json& Find(const kube::ResourceDescriptor& r, std::string_view ns, std::string_view name);

  mutable std::mutex mutex_;
  std::map<std::string, kube::Json> pods_;  // "namespace/name"
};

}  // namespace numalign::sim
