#include "kube/objects/node.h"

namespace numalign::kube {

bool NodeView::Unschedulable() const {
  const Json* u = FindPath(*node_, "/spec/unschedulable");
  return u && u->is_boolean() && u->get<bool>();
}

bool NodeView::IsReady() const {
  return ConditionStatus("Ready") == "True";
}

std::string NodeView::ConditionStatus(const std::string& type) const {
  const Json* conditions = FindPath(*node_, "/status/conditions");
  if (!conditions || !conditions->is_array()) return "";
  for (const auto& c : *conditions) {
    if (StringAt(c, "/type") == type) return StringAt(c, "/status");
  }
  return "";
}

}  // namespace numalign::kube
