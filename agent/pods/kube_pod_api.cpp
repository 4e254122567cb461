#include "agent/pods/kube_pod_api.h"

#include <exception>

#include "kube/rest/api_error.h"
#include "kube/rest/resource.h"

namespace numalign::agent {

KubePodApi::KubePodApi(std::shared_ptr<kube::ApiClient> client,
                       std::shared_ptr<kube::EventRecorder> events, std::string node_name,
                       std::string node_uid)
    : client_(std::move(client)),
      events_(std::move(events)),
      node_name_(std::move(node_name)),
      node_uid_(std::move(node_uid)) {}

bool KubePodApi::PatchAnnotations(const std::string& namespace_name, const std::string& name,
                                  const std::string& uid,
                                  const std::map<std::string, std::optional<std::string>>& changes,
                                  std::string* error) {
  nlohmann::json annotations = nlohmann::json::object();
  for (const auto& [key, value] : changes) {
    annotations[key] = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  }
  const nlohmann::json patch = {{"metadata", {{"uid", uid}, {"annotations", annotations}}}};
  try {
    client_->Patch(kube::resources::Pods(), namespace_name, name, kube::PatchType::kMerge, patch,
                   kube::WriteOptions{"numalign-agent", false});
    return true;
  } catch (const kube::ApiError& e) {
    // The pod is gone or is another pod now: nothing left to annotate, do not retry.
    if (e.code() == 404 || e.code() == 409) return true;
    *error = e.what();
  } catch (const std::exception& e) {
    *error = e.what();
  }
  return false;
}

void KubePodApi::RecordEvent(const std::string& namespace_name, const std::string& name,
                             const std::string& uid, const std::string& type,
                             const std::string& reason, const std::string& message) {
  if (!events_) return;
  const nlohmann::json object = {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata", {{"namespace", namespace_name}, {"name", name}, {"uid", uid}}}};
  events_->Event(object, type, reason, message);
}

void KubePodApi::RecordNodeEvent(const std::string& type, const std::string& reason,
                                 const std::string& message) {
  if (!events_) return;
  const nlohmann::json object = {{"apiVersion", "v1"},
                                 {"kind", "Node"},
                                 {"metadata", {{"name", node_name_}, {"uid", node_uid_}}}};
  events_->Event(object, type, reason, message);
}

}  // namespace numalign::agent
