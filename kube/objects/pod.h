#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kube/objects/object_meta.h"

namespace numalign::kube {

struct ContainerView {
  std::string name;
  std::map<std::string, std::string> requests;  // resource name -> quantity text
  std::map<std::string, std::string> limits;
  bool init = false;
  bool sidecar = false;  // an init container with restartPolicy Always
};

// A read-only view of a core/v1 Pod. It reads the JSON it was given on each call; keep the JSON
// alive while the view is used. Missing fields read as empty.
class PodView {
 public:
  explicit PodView(const Json& pod) : pod_(&pod) {}

  const Json& json() const { return *pod_; }
  std::string Name() const { return NameOf(*pod_); }
  std::string Namespace() const { return NamespaceOf(*pod_); }
  std::string Uid() const { return UidOf(*pod_); }
  std::string ResourceVersion() const { return ResourceVersionOf(*pod_); }
  std::string Key() const { return ObjectKey(*pod_); }
  std::map<std::string, std::string> Labels() const { return LabelsOf(*pod_); }
  std::map<std::string, std::string> Annotations() const { return AnnotationsOf(*pod_); }
  std::optional<std::string> Annotation(const std::string& key) const {
    return AnnotationOf(*pod_, key);
  }
  std::vector<OwnerReference> OwnerReferences() const { return OwnerReferencesOf(*pod_); }
  std::optional<Clock::TimePoint> DeletionTimestamp() const { return DeletionTimestampOf(*pod_); }

  std::string NodeName() const { return StringAt(*pod_, "/spec/nodeName"); }
  std::string SchedulerName() const { return StringAt(*pod_, "/spec/schedulerName"); }
  std::string Phase() const { return StringAt(*pod_, "/status/phase"); }
  std::string QosClass() const { return StringAt(*pod_, "/status/qosClass"); }
  std::string Reason() const { return StringAt(*pod_, "/status/reason"); }
  std::string Message() const { return StringAt(*pod_, "/status/message"); }
  // Succeeded or Failed: the pod holds no resources any more.
  bool IsTerminal() const;
  bool IsBound() const { return !NodeName().empty(); }
  // Regular containers, then init containers (marked init).
  std::vector<ContainerView> Containers() const;
  std::vector<ContainerView> InitContainers() const;
  // Pod-level resources (spec.resources, alpha in 1.32).
  std::map<std::string, std::string> PodRequests() const {
    return StringMapAt(*pod_, "/spec/resources/requests");
  }
  // status.conditions[type].status, e.g. ConditionStatus("PodScheduled") == "True".
  std::string ConditionStatus(const std::string& type) const;

 private:
  const Json* pod_;
};

}  // namespace numalign::kube
