#pragma once

#include <string>

namespace numalign::agent {

// The agent's components (PodController, PodInformer) report through a (level, message)
// callback so they stay testable without a logger; this is the callback main() gives them. It
// writes to common/logging, so those lines share the format (--log-format) and verbosity (--v)
// of everything else the agent logs: "error", "warning" and "info" are always written, "debug"
// from --v=2 on. An unknown level is written as an error rather than dropped.
void LogAtLevel(const std::string& level, const std::string& message);

}  // namespace numalign::agent
