#include "agent/health/agent_log.h"

#include "common/logging/log.h"

namespace numalign::agent {

// The verbosity from which "debug" lines appear.
constexpr int kDebugVerbosity = 2;

void LogAtLevel(const std::string& level, const std::string& message) {
  if (level == "info") {
    logging::info(message);
  } else if (level == "warning") {
    logging::warning(message);
  } else if (level == "debug") {
    logging::v_info(kDebugVerbosity, message);
  } else {
    logging::error(message);
  }
}

}  // namespace numalign::agent
