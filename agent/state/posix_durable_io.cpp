#include "agent/state/posix_durable_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "agent/posix/fd_io.h"

namespace numalign::agent::state {
namespace {

IoError Failure(std::string_view operation, const std::string& path) {
  return IoError{errno, std::string(operation), path};
}

}  // namespace

std::string IoError::ToString() const {
  return fmt::format("{} {}: {}", operation, path, std::strerror(sys_errno));
}

IoResult<std::string> PosixDurableIo::ReadFile(const std::string& path) const {
  posix::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return Failure("open", path);
  std::string content;
  if (!posix::ReadAll(fd.get(), &content)) return Failure("read", path);
  return content;
}

IoStatus PosixDurableIo::WriteNewFileSynced(const std::string& path, std::string_view content) {
  posix::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) return Failure("create", path);
  if (!posix::WriteAll(fd.get(), content)) return Failure("write", path);
  // Without fsync a crash after the rename can leave the new name pointing at empty blocks.
  if (::fsync(fd.get()) != 0) return Failure("fsync", path);
  if (::close(fd.release()) != 0) return Failure("close", path);
  return {};
}

IoStatus PosixDurableIo::Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return Failure("rename", from + " -> " + to);
  return {};
}

IoStatus PosixDurableIo::SyncDirectory(const std::string& directory) {
  posix::UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return Failure("open directory", directory);
  if (::fsync(fd.get()) != 0) return Failure("fsync directory", directory);
  return {};
}

IoStatus PosixDurableIo::Remove(const std::string& path) {
  if (::unlink(path.c_str()) != 0) return Failure("unlink", path);
  return {};
}

IoResult<std::vector<std::string>> PosixDurableIo::ListDirectory(
    const std::string& directory) const {
  DIR* stream = ::opendir(directory.c_str());
  if (stream == nullptr) return Failure("opendir", directory);
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(stream)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(stream);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace numalign::agent::state
