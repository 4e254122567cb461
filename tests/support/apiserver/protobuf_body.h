// kubectl's typed clients (e.g. `kubectl create namespace`) send Kubernetes protobuf
// ("k8s\0" + runtime.Unknown). The server decodes the kinds kubectl creates that way for what
// numalign's tests use (Namespace; metadata only for the rest) into JSON; other protobuf bodies get
// 415 so the gap is explicit.
#pragma once

#include <optional>
#include <string>

#include "tests/support/apiserver/json_util.h"

namespace numalign::test_apiserver {

bool IsProtobufContentType(const std::string& content_type);
// The body as a JSON object, or nullopt when it cannot be decoded.
std::optional<Json> DecodeProtobufObject(const std::string& body);

}  // namespace numalign::test_apiserver
