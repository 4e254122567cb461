#pragma once

#include "agent/state/durable_io.h"

namespace numalign::agent::state {

// DurableIo on POSIX system calls: open(O_EXCL) + write + fsync, rename(2), fsync of the
// directory. Writes restart on EINTR and short writes.
class PosixDurableIo final : public DurableIo {
 public:
  IoResult<std::string> ReadFile(const std::string& path) const override;
  IoStatus WriteNewFileSynced(const std::string& path, std::string_view content) override;
  IoStatus Rename(const std::string& from, const std::string& to) override;
  IoStatus SyncDirectory(const std::string& directory) override;
  IoStatus Remove(const std::string& path) override;
  IoResult<std::vector<std::string>> ListDirectory(const std::string& directory) const override;
};

}  // namespace numalign::agent::state
