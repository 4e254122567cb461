// Structural-schema handling of custom resources: pruning of unknown fields (with the warnings
// kube-apiserver sends) and validation against openAPIV3Schema (type, required, pattern,
// int-or-string, enum, minimum/maximum), producing one 422 cause per violation.
#pragma once

#include <string>
#include <vector>

#include "tests/support/apiserver/api_error.h"
#include "tests/support/apiserver/json_util.h"

namespace numalign::test_apiserver {

// Removes fields the schema does not declare; returns their paths ("spec", "zones[0].bogus").
std::vector<std::string> PruneUnknownFields(Json& object, const Json& schema);
std::vector<StatusCause> ValidateAgainstSchema(const Json& object, const Json& schema);

}  // namespace numalign::test_apiserver
