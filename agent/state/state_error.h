#pragma once

#include <string>
#include <string_view>

#include "agent/cgroup/expected.h"

namespace numalign::agent::state {

// Why a state file could not be loaded or saved. The agent reacts differently to each: a missing
// file is a first start, an unparsable or mismatching one is reported and rebuilt from the pods'
// annotations and the cgroups, an I/O error is retried.
enum class StateErrorKind {
  kMissing,           // no file: first start
  kUnparsable,        // not JSON, truncated, or not a JSON object
  kChecksumMismatch,  // parses, but the checksum does not match (or is absent): corrupted
  kInvalidDocument,   // Save: the document cannot be serialized (not an object, bad UTF-8)
  kIo,                // a system call failed (ENOSPC, EACCES, EIO...); sys_errno tells which
};

std::string_view ToString(StateErrorKind kind);

struct StateError {
  StateErrorKind kind = StateErrorKind::kIo;
  std::string path;  // the state file concerned
  std::string message;
  int sys_errno = 0;

  // "state file <path>: <kind>: <message>".
  std::string ToString() const;
};

template <typename T>
using StateResult = Expected<T, StateError>;
using StateStatus = Expected<void, StateError>;

}  // namespace numalign::agent::state
