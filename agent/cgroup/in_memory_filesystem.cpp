#include "agent/cgroup/in_memory_filesystem.h"

#include <cerrno>

namespace numalign::agent::cgroup {

void InMemoryFilesystem::AddDirectory(std::string_view path) {
  std::string current;
  auto parts = SplitRelativePath(path);
  if (!parts) return;
  for (const std::string& part : *parts) {
    current = JoinPath(current, part);
    directories_.insert(current);
  }
}

void InMemoryFilesystem::AddFile(std::string_view path, std::string_view content) {
  AddDirectory(ParentPath(path));
  files_[std::string(path)] = std::string(content);
}

void InMemoryFilesystem::RemoveFile(std::string_view path) {
  if (auto it = files_.find(path); it != files_.end()) files_.erase(it);
}

Result<std::string> InMemoryFilesystem::ReadFile(std::string_view path) const {
  if (auto parts = SplitRelativePath(path); !parts) return parts.error();
  auto it = files_.find(path);
  if (it == files_.end()) return ErrorFromErrno(ENOENT, "open", std::string(path));
  return it->second;
}

Status InMemoryFilesystem::WriteFile(std::string_view path, std::string_view content) {
  if (auto parts = SplitRelativePath(path); !parts) return parts.error();
  auto it = files_.find(path);
  if (it == files_.end()) return ErrorFromErrno(ENOENT, "open", std::string(path));
  if (hook_) {
    if (const int refused = hook_(it->first, content); refused != 0) {
      return ErrorFromErrno(refused, "write", std::string(path));
    }
  }
  it->second = std::string(content);
  writes_.push_back({it->first, it->second});
  return {};
}

bool InMemoryFilesystem::Exists(std::string_view path) const {
  if (auto parts = SplitRelativePath(path); !parts) return false;
  return files_.contains(path) || directories_.contains(path);
}

bool InMemoryFilesystem::IsDirectory(std::string_view path) const {
  if (auto parts = SplitRelativePath(path); !parts) return false;
  return directories_.contains(path);
}

Result<std::vector<std::string>> InMemoryFilesystem::ListDirectory(std::string_view path) const {
  if (auto parts = SplitRelativePath(path); !parts) return parts.error();
  if (!directories_.contains(path)) return ErrorFromErrno(ENOENT, "opendir", std::string(path));
  std::set<std::string> names;
  auto collect = [&](const std::string& entry) {
    if (entry.empty() || ParentPath(entry) != path) return;
    names.insert(path.empty() ? entry : entry.substr(path.size() + 1));
  };
  for (const auto& [file, content] : files_) collect(file);
  for (const std::string& directory : directories_) collect(directory);
  return std::vector<std::string>(names.begin(), names.end());
}

Status InMemoryFilesystem::MakeDirectory(std::string_view path) {
  if (auto parts = SplitRelativePath(path); !parts) return parts.error();
  if (Exists(path)) return ErrorFromErrno(EEXIST, "mkdir", std::string(path));
  if (!directories_.contains(ParentPath(path))) {
    return ErrorFromErrno(ENOENT, "mkdir", std::string(path));
  }
  directories_.insert(std::string(path));
  return {};
}

}  // namespace numalign::agent::cgroup
