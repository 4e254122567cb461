#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace numalign::kube {

// Standard base64 (kubeconfig *-data fields); whitespace is ignored. nullopt when invalid.
std::optional<std::string> DecodeBase64(std::string_view text);
std::string EncodeBase64(std::string_view bytes);

}  // namespace numalign::kube
