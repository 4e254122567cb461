#include "agent/cgroup/filesystem.h"

#include <fmt/format.h>

namespace numalign::agent::cgroup {

Result<std::vector<std::string>> SplitRelativePath(std::string_view path) {
  std::vector<std::string> parts;
  if (path.empty()) return parts;
  if (path.front() == '/') {
    return Error{ErrorCode::kOutsideRoot, std::string(path),
                 "absolute path refused: paths are relative to the cgroup root"};
  }
  if (path.find('\0') != std::string_view::npos) {
    return Error{ErrorCode::kInvalidArgument, "", "path contains a NUL byte"};
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    const std::string_view part = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part == "..") {
      return Error{ErrorCode::kOutsideRoot, std::string(path),
                   "\"..\" refused: it could leave the cgroup root"};
    }
    if (part.empty() || part == ".") {
      return Error{ErrorCode::kInvalidArgument, std::string(path),
                   "empty or \".\" path component refused"};
    }
    parts.emplace_back(part);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

std::string JoinPath(std::string_view parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  if (child.empty()) return std::string(parent);
  return fmt::format("{}/{}", parent, child);
}

std::string ParentPath(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

}  // namespace numalign::agent::cgroup
