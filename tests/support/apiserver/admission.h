// What kube-apiserver does to a built-in object between decoding and storage: decode-time checks
// (quantities, MicroTime: 400s), defaulting, mutating admission (ServiceAccount,
// DefaultTolerations, Priority, TaintNodesByCondition, NamespaceLifecycle labels) and validation
// (422 causes).
#pragma once

#include <string>
#include <vector>

#include "tests/support/apiserver/api_error.h"
#include "tests/support/apiserver/json_util.h"
#include "tests/support/apiserver/resource_registry.h"

namespace numalign::test_apiserver {

// Decode-time checks of a POST/PUT body; returns the error text ("" when fine). Also rewrites
// MicroTime offsets to Z and canonicalises quantities in place.
std::string DecodeChecks(Json& object, const ResourceType& type);
// Defaults applied while decoding (they are part of what the writer's managedFields own).
void ApplyDefaults(Json& object, const ResourceType& type, bool creating);
// Mutating admission after managedFields were computed (not owned by the writer).
void AdmitOnCreate(Json& object, const ResourceType& type);
// Status the server fills in on create.
void InitializeStatus(Json& object, const ResourceType& type);
// Validation causes for create (old == nullptr) or update.
std::vector<StatusCause> Validate(const Json& object, const Json* old, const ResourceType& type);

bool IsDns1123Subdomain(const std::string& name);
bool IsDns1123Label(const std::string& name);

}  // namespace numalign::test_apiserver
