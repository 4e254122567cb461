#pragma once

#include <memory>
#include <string>

#include "agent/pods/pod_api.h"
#include "kube/events/event_recorder.h"
#include "kube/rest/api_client.h"

namespace numalign::agent {

// PodApi over the API server: annotation changes as a JSON merge patch that also carries the
// pod's uid (the API server refuses it with 409 when the name now belongs to another pod), and
// Events through kube/'s recorder (de-duplicated, rate limited per object).
class KubePodApi final : public PodApi {
 public:
  KubePodApi(std::shared_ptr<kube::ApiClient> client, std::shared_ptr<kube::EventRecorder> events,
             std::string node_name, std::string node_uid);

  bool PatchAnnotations(const std::string& namespace_name, const std::string& name,
                        const std::string& uid,
                        const std::map<std::string, std::optional<std::string>>& changes,
                        std::string* error) override;
  void RecordEvent(const std::string& namespace_name, const std::string& name,
                   const std::string& uid, const std::string& type, const std::string& reason,
                   const std::string& message) override;
  void RecordNodeEvent(const std::string& type, const std::string& reason,
                       const std::string& message) override;

 private:
  std::shared_ptr<kube::ApiClient> client_;
  std::shared_ptr<kube::EventRecorder> events_;
  std::string node_name_;
  std::string node_uid_;
};

}  // namespace numalign::agent
