#pragma once

#include <memory>
#include <string>

#include "kube/rest/api_client.h"

namespace numalign::kube {

// Where recorded core/v1 Events go. Throws as ApiClient does.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual Json Create(const std::string& ns, const Json& event) = 0;
  virtual Json Patch(const std::string& ns, const std::string& name, const Json& merge_patch) = 0;
};

class ApiEventSink final : public EventSink {
 public:
  explicit ApiEventSink(std::shared_ptr<ApiClient> client) : client_(std::move(client)) {}
  Json Create(const std::string& ns, const Json& event) override {
    return client_->Create(resources::Events(), ns, event);
  }
  Json Patch(const std::string& ns, const std::string& name, const Json& merge_patch) override {
    return client_->Patch(resources::Events(), ns, name, PatchType::kMerge, merge_patch);
  }

 private:
  std::shared_ptr<ApiClient> client_;
};

}  // namespace numalign::kube
