#pragma once

#include <map>
#include <string>

#include "kube/objects/object_meta.h"

namespace numalign::kube {

// A read-only view of a core/v1 Node (keep the JSON alive while the view is used).
class NodeView {
 public:
  explicit NodeView(const Json& node) : node_(&node) {}

  const Json& json() const { return *node_; }
  std::string Name() const { return NameOf(*node_); }
  std::string Uid() const { return UidOf(*node_); }
  std::map<std::string, std::string> Labels() const { return LabelsOf(*node_); }
  std::map<std::string, std::string> Annotations() const { return AnnotationsOf(*node_); }
  std::map<std::string, std::string> Capacity() const {
    return StringMapAt(*node_, "/status/capacity");
  }
  std::map<std::string, std::string> Allocatable() const {
    return StringMapAt(*node_, "/status/allocatable");
  }
  bool Unschedulable() const;
  // The Ready condition's status is "True".
  bool IsReady() const;
  std::string ConditionStatus(const std::string& type) const;

 private:
  const Json* node_;
};

}  // namespace numalign::kube
