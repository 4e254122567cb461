#include "kube/objects/pod.h"

namespace numalign::kube {

namespace {

std::vector<ContainerView> ReadContainers(const Json& pod, const char* pointer, bool init) {
  std::vector<ContainerView> out;
  const Json* list = FindPath(pod, pointer);
  if (!list || !list->is_array()) return out;
  for (const auto& c : *list) {
    if (!c.is_object()) continue;
    ContainerView view;
    view.name = StringAt(c, "/name");
    view.requests = StringMapAt(c, "/resources/requests");
    view.limits = StringMapAt(c, "/resources/limits");
    view.init = init;
    view.sidecar = init && StringAt(c, "/restartPolicy") == "Always";
    out.push_back(std::move(view));
  }
  return out;
}

}  // namespace

bool PodView::IsTerminal() const {
  const std::string phase = Phase();
  return phase == "Succeeded" || phase == "Failed";
}

std::vector<ContainerView> PodView::Containers() const {
  return ReadContainers(*pod_, "/spec/containers", false);
}

std::vector<ContainerView> PodView::InitContainers() const {
  return ReadContainers(*pod_, "/spec/initContainers", true);
}

std::string PodView::ConditionStatus(const std::string& type) const {
  const Json* conditions = FindPath(*pod_, "/status/conditions");
  if (!conditions || !conditions->is_array()) return "";
  for (const auto& c : *conditions) {
    if (StringAt(c, "/type") == type) return StringAt(c, "/status");
  }
  return "";
}

}  // namespace numalign::kube
