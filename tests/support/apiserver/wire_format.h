// How stored objects look on the wire: Go struct key order for built-in kinds, sorted keys for
// custom resources, the two views of an Event (core/v1 and events.k8s.io/v1), and the field
// labels field selectors can read.
#pragma once

#include <string>
#include <vector>

#include "tests/support/apiserver/json_util.h"
#include "tests/support/apiserver/resource_registry.h"

namespace numalign::test_apiserver {

// Rearranges keys into kube-apiserver's order for the object's kind (in place).
void CanonicalizeKeyOrder(Json& object, const ResourceType& type);
// The object as served by `type` (apiVersion, Event view, key order).
Json ToServedView(const Json& stored, const ResourceType& type);
// A body received through `type` converted to the stored form (events.k8s.io -> core/v1).
Json ToStoredForm(const Json& received, const ResourceType& type);

std::vector<std::string> SupportedFieldLabels(const ResourceType& type);
std::string FieldLabelValue(const Json& stored, const std::string& label);

}  // namespace numalign::test_apiserver
