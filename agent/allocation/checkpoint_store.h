#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "agent/state/posix_durable_io.h"
#include "agent/state/state_error.h"
#include "agent/state/state_file.h"

namespace numalign::agent {

// Where the allocation engine keeps its checkpoint document. An interface so that engine tests
// can observe when the checkpoint is written relative to cgroup writes, and inject failures.
class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;
  virtual state::StateResult<nlohmann::json> Load() = 0;
  virtual state::StateStatus Save(const nlohmann::json& document) = 0;
};

// The production store: agent/state's StateFile (atomic, fsync'd, CRC-32C checksummed) at
// <state-dir>/numalign_agent_state.
class StateFileCheckpointStore final : public CheckpointStore {
 public:
  static constexpr const char* kFileName = "numalign_agent_state";
  explicit StateFileCheckpointStore(const std::string& state_dir)
      : file_(state_dir + "/" + kFileName, io_) {
    (void)file_.CleanStaleTemporaries();  // a crash mid-Save leaves a temporary; never read
  }
  const std::string& path() const { return file_.path(); }
  state::StateResult<nlohmann::json> Load() override { return file_.Load(); }
  state::StateStatus Save(const nlohmann::json& document) override { return file_.Save(document); }

 private:
  state::PosixDurableIo io_;
  state::StateFile file_;
};

}  // namespace numalign::agent
