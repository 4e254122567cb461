#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "agent/state/durable_io.h"
#include "agent/state/state_error.h"

namespace numalign::agent::state {

// A JSON object kept durably in one file, with a checksum, e.g. the agent's checkpoint. What the
// document contains (the kubelet's memory_manager_state layout plus CPU assignments) is defined
// by its owner; this class only guarantees that a Load returns exactly what a completed Save
// stored, or says why not.
//
// Save is atomic and durable: the content goes to a new temporary file in the same directory
// ("<name>.tmp-<pid>-<random>"), which is fsync'd, renamed over the target, and then the directory
// is fsync'd. A crash or a failure (ENOSPC, EIO) at any point leaves either the previous file or
// the new one, never a mix; a temporary left by a crash is never read and CleanStaleTemporaries
// removes it.
//
// The checksum is the top-level field "checksum" (the kubelet's checkpoints use the same name):
// the CRC-32C, as an unsigned number, of the canonical serialization of the document with
// "checksum" set to 0. Canonical means nlohmann's compact dump, whose object keys are sorted, so
// the value does not depend on whitespace or key order in the file.
//
// Nothing throws through this API: every failure is a StateError naming the file.
class StateFile {
 public:
  static constexpr const char* kChecksumField = "checksum";

  // `io` must outlive the StateFile.
  StateFile(std::string path, DurableIo& io);

  const std::string& path() const { return path_; }

  // The stored document without its "checksum" field, or kMissing / kUnparsable /
  // kChecksumMismatch / kIo.
  StateResult<nlohmann::json> Load() const;

  // Stores `document`, which must be a JSON object; a "checksum" field in it is replaced.
  // On failure the previous file is intact and no temporary is left behind (unless removing it
  // failed too, in which case CleanStaleTemporaries deals with it later).
  StateStatus Save(const nlohmann::json& document);

  // Removes temporaries of this file left by a crashed Save, e.g. at start-up. Returns how many.
  StateResult<int> CleanStaleTemporaries();

  // The checksum Save would store for `document` (its "checksum" field is ignored). Fails with
  // kInvalidDocument when the document cannot be serialized (invalid UTF-8 in a string).
  static StateResult<std::uint32_t> ComputeChecksum(const nlohmann::json& document);

 private:
  std::string Directory() const;
  std::string TemporaryPrefix() const;  // "<name>.tmp-"

  std::string path_;
  DurableIo& io_;
};

}  // namespace numalign::agent::state
