#pragma once

#include <map>
#include <optional>
#include <string>

namespace numalign::agent {

// The API calls the pod controller makes, behind an interface: the real one uses kube/'s
// ApiClient (merge patch) and event recorder; tests use a recording double, and an unreachable
// API server is a PatchAnnotations returning false (the controller queues and retries).
class PodApi {
 public:
  virtual ~PodApi() = default;
  // Merge patch of metadata.annotations: a value sets the key, nullopt removes it. The patch is
  // guarded by the uid (a pod re-created under the same name is not touched).
  virtual bool PatchAnnotations(const std::string& namespace_name, const std::string& name,
                                const std::string& uid,
                                const std::map<std::string, std::optional<std::string>>& changes,
                                std::string* error) = 0;
  // Best effort (Events may be dropped, like the kubelet's).
  virtual void RecordEvent(const std::string& namespace_name, const std::string& name,
                           const std::string& uid, const std::string& type,
                           const std::string& reason, const std::string& message) = 0;
  // An Event on this node's Node object (e.g. a corrupted checkpoint was rebuilt).
  virtual void RecordNodeEvent(const std::string& type, const std::string& reason,
                               const std::string& message) = 0;
};

}  // namespace numalign::agent
