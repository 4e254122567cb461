#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "agent/cgroup/filesystem.h"

namespace numalign::agent::cgroup {

// A Filesystem in memory for unit tests: the same path rules as the real one (relative only, no
// "..", writes only to existing files), a log of every successful write in order, and a hook that
// can refuse a write with an errno the way the kernel would (EINVAL, ENOSPC, EBUSY, EACCES).
class InMemoryFilesystem final : public Filesystem {
 public:
  struct Write {
    std::string path;
    std::string content;
    bool operator==(const Write&) const = default;
  };
  // Returns 0 to accept a write, or the errno to fail it with. Sees the state before the write.
  using WriteHook = std::function<int(const std::string& path, std::string_view content)>;

  // Test set-up: creates the file and every missing parent directory.
  void AddFile(std::string_view path, std::string_view content);
  void AddDirectory(std::string_view path);
  void RemoveFile(std::string_view path);
  void SetWriteHook(WriteHook hook) { hook_ = std::move(hook); }

  const std::vector<Write>& writes() const { return writes_; }
  void ClearWrites() { writes_.clear(); }

  Result<std::string> ReadFile(std::string_view path) const override;
  Status WriteFile(std::string_view path, std::string_view content) override;
  bool Exists(std::string_view path) const override;
  bool IsDirectory(std::string_view path) const override;
  Result<std::vector<std::string>> ListDirectory(std::string_view path) const override;
  Status MakeDirectory(std::string_view path) override;

 private:
  std::map<std::string, std::string, std::less<>> files_;
  std::set<std::string, std::less<>> directories_{""};
  std::vector<Write> writes_;
  WriteHook hook_;
};

}  // namespace numalign::agent::cgroup
