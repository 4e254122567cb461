#include "agent/cgroup/rooted_filesystem.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <utility>

#include "agent/posix/fd_io.h"

namespace numalign::agent::cgroup {
namespace {

using posix::UniqueFd;

constexpr int kDirectoryFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

// Cleared for good the first time the kernel (or a seccomp filter) refuses openat2 itself.
std::atomic<bool> openat2_usable{true};

}  // namespace

int RootedFilesystem::OpenBeneath(const std::vector<std::string>& parts, std::size_t depth,
                                  int flags) const {
  if (!openat2_usable.load(std::memory_order_relaxed)) return -1;
  std::string joined;
  for (std::size_t i = 0; i < depth; ++i) {
    if (i > 0) joined += '/';
    joined += parts[i];
  }
  if (joined.empty()) joined = ".";
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags);
  // No RESOLVE_NO_XDEV: on cgroup v1 every controller is its own mount below the root.
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  const long fd = ::syscall(SYS_openat2, root_fd_, joined.c_str(), &how, sizeof(how));
  if (fd >= 0) return static_cast<int>(fd);
  if (errno == ENOSYS || errno == EPERM || errno == E2BIG) {
    openat2_usable.store(false, std::memory_order_relaxed);
  }
  return -1;
}

Result<std::unique_ptr<RootedFilesystem>> RootedFilesystem::Open(const std::string& root) {
  const int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    Error error = ErrorFromErrno(errno, "open cgroup root", "");
    error.message = fmt::format("{} ({})", error.message, root);
    return error;
  }
  return std::unique_ptr<RootedFilesystem>(new RootedFilesystem(root, fd));
}

RootedFilesystem::~RootedFilesystem() {
  if (root_fd_ >= 0) ::close(root_fd_);
}

Error RootedFilesystem::OpenFailure(int dir_fd, const std::string& name, int sys_errno,
                                    std::string_view operation, std::string_view path) const {
  struct stat st {};
  if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
    char target[4096];
    const ssize_t n = ::readlinkat(dir_fd, name.c_str(), target, sizeof(target) - 1);
    const std::string where = n > 0 ? std::string(target, static_cast<std::size_t>(n)) : "?";
    return Error{ErrorCode::kSymlinkRefused, std::string(path),
                 fmt::format("{} refused: \"{}\" is a symlink (to \"{}\"); cgroupfs has no "
                             "symlinks, so none is followed below the cgroup root",
                             operation, name, where),
                 ELOOP};
  }
  return ErrorFromErrno(sys_errno, operation, std::string(path));
}

Result<int> RootedFilesystem::OpenDirectory(const std::vector<std::string>& parts,
                                            std::size_t depth, std::string_view path) const {
  if (const int fd = OpenBeneath(parts, depth, kDirectoryFlags); fd >= 0) return fd;
  int current = ::fcntl(root_fd_, F_DUPFD_CLOEXEC, 0);
  if (current < 0) return ErrorFromErrno(errno, "dup root", std::string(path));
  for (std::size_t i = 0; i < depth; ++i) {
    UniqueFd parent(current);
    current = ::openat(parent.get(), parts[i].c_str(), kDirectoryFlags);
    if (current < 0) return OpenFailure(parent.get(), parts[i], errno, "open directory", path);
  }
  return current;
}

Result<int> RootedFilesystem::OpenRegularFile(std::string_view path, int flags) const {
  auto parts = SplitRelativePath(path);
  if (!parts) return parts.error();
  if (parts->empty()) {
    return Error{ErrorCode::kInvalidArgument, "", "the cgroup root is a directory, not a file"};
  }
  // O_NONBLOCK: a FIFO planted in the tree must not hang the agent; regular files ignore it.
  const int file_flags = flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  int fd = OpenBeneath(*parts, parts->size(), file_flags);
  if (fd < 0) {
    auto dir = OpenDirectory(*parts, parts->size() - 1, path);
    if (!dir) return dir.error();
    UniqueFd dir_fd(*dir);
    fd = ::openat(dir_fd.get(), parts->back().c_str(), file_flags);
    if (fd < 0) return OpenFailure(dir_fd.get(), parts->back(), errno, "open", path);
  }
  UniqueFd file(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return ErrorFromErrno(errno, "stat", std::string(path));
  if (!S_ISREG(st.st_mode)) {
    return Error{ErrorCode::kInvalidArgument, std::string(path),
                 "not a regular file (cgroup files are regular files)"};
  }
  return file.release();
}

Result<std::string> RootedFilesystem::ReadFile(std::string_view path) const {
  auto fd = OpenRegularFile(path, O_RDONLY);
  if (!fd) return fd.error();
  UniqueFd file(*fd);
  std::string content;
  if (!posix::ReadAll(file.get(), &content)) {
    return ErrorFromErrno(errno, "read", std::string(path));
  }
  return content;
}

Status RootedFilesystem::WriteFile(std::string_view path, std::string_view content) {
  // O_TRUNC matters for a test tree of plain files and is harmless on cgroupfs (runc does it).
  auto fd = OpenRegularFile(path, O_WRONLY | O_TRUNC);
  if (!fd) return fd.error();
  UniqueFd file(*fd);
  // cgroupfs takes one write(2) per value and reports refusals (EINVAL, ENOSPC, EBUSY) from it.
  if (!posix::WriteAll(file.get(), content)) {
    return ErrorFromErrno(errno, "write", std::string(path));
  }
  if (::close(file.release()) != 0) return ErrorFromErrno(errno, "close", std::string(path));
  return {};
}

unsigned RootedFilesystem::StatMode(std::string_view path) const {
  auto parts = SplitRelativePath(path);
  if (!parts) return 0;
  if (parts->empty()) return S_IFDIR;
  struct stat st {};
  if (const int fd = OpenBeneath(*parts, parts->size(), O_PATH | O_NOFOLLOW | O_CLOEXEC); fd >= 0) {
    UniqueFd file(fd);
    return ::fstat(fd, &st) == 0 ? st.st_mode : 0;
  }
  auto dir = OpenDirectory(*parts, parts->size() - 1, path);
  if (!dir) return 0;
  UniqueFd dir_fd(*dir);
  if (::fstatat(dir_fd.get(), parts->back().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return 0;
  return st.st_mode;
}

bool RootedFilesystem::Exists(std::string_view path) const {
  const unsigned mode = StatMode(path);
  return S_ISREG(mode) || S_ISDIR(mode);
}

bool RootedFilesystem::IsDirectory(std::string_view path) const {
  return S_ISDIR(StatMode(path));
}

Result<std::vector<std::string>> RootedFilesystem::ListDirectory(std::string_view path) const {
  auto parts = SplitRelativePath(path);
  if (!parts) return parts.error();
  auto dir = OpenDirectory(*parts, parts->size(), path);
  if (!dir) return dir.error();
  DIR* stream = ::fdopendir(*dir);  // takes ownership of the descriptor
  if (stream == nullptr) {
    const int saved = errno;
    ::close(*dir);
    return ErrorFromErrno(saved, "opendir", std::string(path));
  }
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(stream)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(stream);
  std::sort(names.begin(), names.end());
  return names;
}

Status RootedFilesystem::MakeDirectory(std::string_view path) {
  auto parts = SplitRelativePath(path);
  if (!parts) return parts.error();
  if (parts->empty()) return Error{ErrorCode::kInvalidArgument, "", "the root already exists"};
  auto dir = OpenDirectory(*parts, parts->size() - 1, path);
  if (!dir) return dir.error();
  UniqueFd dir_fd(*dir);
  if (::mkdirat(dir_fd.get(), parts->back().c_str(), 0755) != 0) {
    return ErrorFromErrno(errno, "mkdir", std::string(path));
  }
  return {};
}

}  // namespace numalign::agent::cgroup
