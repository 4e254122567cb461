#pragma once

#include <string>

#include "kube/objects/object_meta.h"

namespace numalign::kube {

// A read-only view of a core/v1 Event (keep the JSON alive while the view is used).
class EventView {
 public:
  explicit EventView(const Json& event) : event_(&event) {}

  std::string Name() const { return NameOf(*event_); }
  std::string Namespace() const { return NamespaceOf(*event_); }
  std::string Type() const { return StringAt(*event_, "/type"); }  // Normal, Warning
  std::string Reason() const { return StringAt(*event_, "/reason"); }
  std::string Message() const { return StringAt(*event_, "/message"); }
  int Count() const { return static_cast<int>(IntAt(*event_, "/count").value_or(0)); }
  std::string InvolvedKind() const { return StringAt(*event_, "/involvedObject/kind"); }
  std::string InvolvedName() const { return StringAt(*event_, "/involvedObject/name"); }
  std::string InvolvedNamespace() const { return StringAt(*event_, "/involvedObject/namespace"); }
  std::string InvolvedUid() const { return StringAt(*event_, "/involvedObject/uid"); }
  std::string SourceComponent() const { return StringAt(*event_, "/source/component"); }

 private:
  const Json* event_;
};

// An ObjectReference to `object` for Event.involvedObject (kind and apiVersion must be set).
Json MakeObjectReference(const Json& object);

}  // namespace numalign::kube
