// Pieces shared by the files that implement ApiServerCore (not part of the library's API).
#pragma once

#include <memory>
#include <string>

#include "tests/support/apiserver/api_core.h"
#include "tests/support/apiserver/api_error.h"
#include "tests/support/apiserver/resource_registry.h"

namespace numalign::test_apiserver {

struct ApiServerCore::Target {
  std::shared_ptr<const ResourceType> type;
  std::string ns;                // namespace from the path ("" for cluster scope / all namespaces)
  std::string name;              // object name ("" for collections)
  std::string subresource;       // "status", "binding", "eviction", ...
  bool legacy_bindings = false;  // POST /api/v1/namespaces/{ns}/bindings

  ErrorSubject Subject(const std::string& object_name) const {
    return {object_name, type->group, type->plural};
  }
  // 422s and DELETE-precondition conflicts name the Kind. Events are validated in the core
  // group whichever API wrote them, so their 422s carry no group.
  ErrorSubject KindSubject(const std::string& object_name) const {
    return {object_name, type->storage_id == "events" ? "" : type->group, type->kind};
  }
  std::string QualifiedKind() const {
    return type->storage_id == "events" ? type->kind : type->QualifiedKind();
  }
};

// The body of a successful DELETE/binding: {"kind":"Status",...,"status":"Success",...}.
Json SuccessStatus(const Json* details, int code);
// Accept negotiation: does the client want a meta.k8s.io Table? Throws 406 when nothing fits.
bool WantsTable(const ApiRequest& request);
std::string UserAgentManager(const ApiRequest& request);
std::string MetadataString(const Json& object, const char* key);

}  // namespace numalign::test_apiserver
