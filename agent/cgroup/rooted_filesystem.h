#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/cgroup/filesystem.h"

namespace numalign::agent::cgroup {

// The real Filesystem, confined to one directory (the agent's --cgroup-root, /sys/fs/cgroup on a
// host). Confinement does not trust string checks alone: paths are split and refused lexically
// (see SplitRelativePath), then walked one component at a time with openat(O_NOFOLLOW) from a
// descriptor of the root, so neither "..", nor an absolute path, nor a symlink planted anywhere
// below the root (or swapped in between check and use) can make a read or write land outside.
// Symlinks are refused even when they point inside: cgroupfs has none, so one is a red flag.
// Only the root path itself is resolved normally; it is configuration, not input.
// Where the kernel has openat2 (Linux 5.6+), the whole path is opened in one call with
// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, the same confinement enforced by the kernel: a pin
// touches a dozen files 4 levels deep, and the component walk cost ~10 syscalls per file on the
// bind path. The walk remains for kernels without it and to explain any failure precisely.
class RootedFilesystem final : public Filesystem {
 public:
  static Result<std::unique_ptr<RootedFilesystem>> Open(const std::string& root);
  ~RootedFilesystem() override;
  RootedFilesystem(const RootedFilesystem&) = delete;
  RootedFilesystem& operator=(const RootedFilesystem&) = delete;

  const std::string& root() const { return root_; }

  Result<std::string> ReadFile(std::string_view path) const override;
  Status WriteFile(std::string_view path, std::string_view content) override;
  bool Exists(std::string_view path) const override;
  bool IsDirectory(std::string_view path) const override;
  Result<std::vector<std::string>> ListDirectory(std::string_view path) const override;
  Status MakeDirectory(std::string_view path) override;

 private:
  RootedFilesystem(std::string root, int root_fd) : root_(std::move(root)), root_fd_(root_fd) {}

  // openat2(root, the first `depth` components joined, flags, beneath + no symlinks): the
  // descriptor, or -1 when the caller must walk (unsupported, or failed: the walk explains).
  int OpenBeneath(const std::vector<std::string>& parts, std::size_t depth, int flags) const;
  // A new descriptor of the directory made of the first `depth` components, or an error.
  Result<int> OpenDirectory(const std::vector<std::string>& parts, std::size_t depth,
                            std::string_view path) const;
  // Opens the last component of `path` as a regular file with `flags` (O_RDONLY / O_WRONLY...).
  Result<int> OpenRegularFile(std::string_view path, int flags) const;
  // Explains an openat failure on `name` inside `dir_fd`: a symlink gets its own error.
  Error OpenFailure(int dir_fd, const std::string& name, int sys_errno, std::string_view operation,
                    std::string_view path) const;
  // fstatat(AT_SYMLINK_NOFOLLOW) of the last component; st_mode or 0 when unreachable.
  unsigned StatMode(std::string_view path) const;

  std::string root_;
  int root_fd_ = -1;
};

}  // namespace numalign::agent::cgroup
