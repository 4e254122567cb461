#include "agent/pods/pod_informer.h"

#include "agent/pods/pod_json.h"
#include "kube/informer/lister_watcher.h"
#include "kube/rest/resource.h"

namespace numalign::agent {

PodInformer::PodInformer(std::shared_ptr<kube::ApiClient> client, const std::string& node_name,
                         Logger log)
    : log_(std::move(log)) {
  auto lister =
      std::make_shared<kube::ApiListerWatcher>(std::move(client), kube::resources::Pods(), "",
                                               kube::Selectors{"", "spec.nodeName=" + node_name});
  informer_ = std::make_unique<kube::Informer>(lister);
}

std::optional<PodObservation> PodInformer::Convert(const kube::Json& pod) const {
  std::string error;
  auto o = PodObservationFromJson(pod, &error);
  if (!o && log_) {
    log_("error", "ignoring pod " + pod.value("/metadata/namespace"_json_pointer, std::string()) +
                      "/" + pod.value("/metadata/name"_json_pointer, std::string()) + ": " + error);
  }
  return o;
}

std::vector<PodObservation> PodInformer::CachedPods() const {
  std::vector<PodObservation> out;
  for (const auto& object : informer_->store().List()) {
    if (auto o = Convert(*object)) out.push_back(std::move(*o));
  }
  return out;
}

void PodInformer::Connect(PodWorker& worker) {
  kube::EventHandler handler;
  handler.on_add = [this, &worker](const kube::ObjectPtr& object) {
    if (auto o = Convert(*object)) worker.Upsert(std::move(*o));
  };
  handler.on_update = [this, &worker](const kube::ObjectPtr&, const kube::ObjectPtr& now) {
    if (auto o = Convert(*now)) worker.Upsert(std::move(*o));
  };
  handler.on_delete = [&worker](const kube::ObjectPtr& object) {
    const auto uid = object->value("/metadata/uid"_json_pointer, std::string());
    if (!uid.empty()) worker.Delete(uid);
  };
  informer_->AddEventHandler(std::move(handler));
}

}  // namespace numalign::agent
