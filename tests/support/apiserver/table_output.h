// meta.k8s.io/v1 Table rendering (Accept: application/json;as=Table;...) as kubectl get uses:
// the built-in column sets for pods, nodes and namespaces, Name/Age for custom resources.
#pragma once

#include <vector>

#include "tests/support/apiserver/json_util.h"
#include "tests/support/apiserver/resource_registry.h"

namespace numalign::test_apiserver {

// items: served views of the objects; include_object: "Metadata" (default), "None" or "Object".
Json RenderTable(const ResourceType& type, const std::vector<Json>& items,
                 const std::string& resource_version, const std::string& include_object,
                 const std::string& continue_token = "");

}  // namespace numalign::test_apiserver
