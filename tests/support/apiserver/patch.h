// PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch
// (list merge by key, $patch directives) for built-in types.
#pragma once

#include "tests/support/apiserver/json_util.h"

namespace numalign::test_apiserver {

Json ApplyMergePatch(const Json& target, const Json& patch);
// Throws ApiError 422 ("the server rejected our request...") when an operation fails.
Json ApplyJsonPatch(const Json& target, const Json& operations);
Json ApplyStrategicMergePatch(const Json& target, const Json& patch);

}  // namespace numalign::test_apiserver
