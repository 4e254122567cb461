#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/cgroup/expected.h"

namespace numalign::agent::state {

// A failed system call: which one, on what, and the errno.
struct IoError {
  int sys_errno = 0;
  std::string operation;
  std::string path;
  std::string ToString() const;  // "<operation> <path>: <strerror>"
};

template <typename T>
using IoResult = Expected<T, IoError>;
using IoStatus = Expected<void, IoError>;

// The few file operations a durable write needs, behind an interface so that tests can inject
// the faults a real disk produces (ENOSPC half-way through a write, a failing rename, a crash
// that leaves a temporary file) without a tiny filesystem. Paths are plain host paths: the state
// directory is the agent's own (/var/lib/numalign), not untrusted input like cgroup paths.
class DurableIo {
 public:
  virtual ~DurableIo() = default;

  virtual IoResult<std::string> ReadFile(const std::string& path) const = 0;
  // Creates `path` (which must not exist), writes all of `content`, fsyncs it and closes it. On
  // failure the file may exist with part of the content; the caller removes it.
  virtual IoStatus WriteNewFileSynced(const std::string& path, std::string_view content) = 0;
  // rename(2): atomically replaces `to`.
  virtual IoStatus Rename(const std::string& from, const std::string& to) = 0;
  // fsync of a directory, which makes a rename or unlink inside it durable.
  virtual IoStatus SyncDirectory(const std::string& directory) = 0;
  virtual IoStatus Remove(const std::string& path) = 0;
  // Entry names, sorted, without "." and "..".
  virtual IoResult<std::vector<std::string>> ListDirectory(const std::string& directory) const = 0;
};

}  // namespace numalign::agent::state
