#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/cgroup/error.h"

namespace numalign::agent::cgroup {

// The cgroup layer's only door to files. Every path is relative to the cgroup root the
// implementation was built with ("kubepods.slice/cpuset.cpus", "" for the root itself), so the
// code above it cannot name a host path at all, and tests swap in a fake.
class Filesystem {
 public:
  virtual ~Filesystem() = default;

  virtual Result<std::string> ReadFile(std::string_view path) const = 0;
  // Replaces the content of an existing file. Never creates one: cgroupfs files exist when the
  // cgroup and its controller do, so a missing file means a wrong path, not a file to make.
  virtual Status WriteFile(std::string_view path, std::string_view content) = 0;
  // True for a regular file or directory reachable without following a symlink.
  virtual bool Exists(std::string_view path) const = 0;
  virtual bool IsDirectory(std::string_view path) const = 0;
  // Entry names (not paths), sorted, without "." and "..".
  virtual Result<std::vector<std::string>> ListDirectory(std::string_view path) const = 0;
  // Creates one directory whose parent exists; for test trees and tooling, never the agent.
  virtual Status MakeDirectory(std::string_view path) = 0;
};

// Splits a root-relative path into components, refusing anything that could leave the root or
// hide a traversal: absolute paths, "..", ".", empty components ("a//b", trailing "/"), NUL
// bytes. "" (the root itself) gives no components.
Result<std::vector<std::string>> SplitRelativePath(std::string_view path);

// "a/b" + "c" -> "a/b/c"; "" + "c" -> "c".
std::string JoinPath(std::string_view parent, std::string_view child);
// "a/b/c" -> "a/b"; "a" -> ""; "" -> "".
std::string ParentPath(std::string_view path);

}  // namespace numalign::agent::cgroup
