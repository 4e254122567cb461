#include "agent/state/state_error.h"

#include <fmt/format.h>

namespace numalign::agent::state {

std::string_view ToString(StateErrorKind kind) {
  switch (kind) {
    case StateErrorKind::kMissing:
      return "missing";
    case StateErrorKind::kUnparsable:
      return "unparsable";
    case StateErrorKind::kChecksumMismatch:
      return "checksum mismatch";
    case StateErrorKind::kInvalidDocument:
      return "invalid document";
    case StateErrorKind::kIo:
      return "i/o error";
  }
  return "unknown";
}

std::string StateError::ToString() const {
  return fmt::format("state file {}: {}: {}", path, state::ToString(kind), message);
}

}  // namespace numalign::agent::state
