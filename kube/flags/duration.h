#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace numalign::kube {

// Go's time.ParseDuration syntax, which Kubernetes flags use: "15s", "1m30s", "500ms", "2h".
// nullopt when invalid.
std::optional<std::chrono::milliseconds> ParseGoDuration(std::string_view text);
// "15s", "1m30s", "500ms".
std::string FormatGoDuration(std::chrono::milliseconds d);

}  // namespace numalign::kube
