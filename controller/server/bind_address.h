#pragma once

#include <optional>
#include <string>

namespace numalign::controller {

struct HostPort {
  std::string host;
  unsigned short port = 0;
};

// Reads a --metrics-bind-address value the way the Kubernetes components do: "host:port",
// ":port" (all interfaces) or "[v6]:port". "0" and "" switch the endpoint off (nullopt).
// Throws std::invalid_argument naming the value when it is neither.
std::optional<HostPort> ParseBindAddress(const std::string& value);

}  // namespace numalign::controller
