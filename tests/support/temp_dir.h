// Scratch directories for tests that need real files: sysfs and cgroup trees, kubeconfigs, state
// files, Unix sockets, simulator output. Header-only and standard-library-only, so any test
// binary can use it without linking tests/support's libraries.
#pragma once

#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>

// Not numalign::testing: a namespace of that name would capture the unqualified `testing::` that
// tests inside numalign write for GoogleTest's ::testing.
namespace numalign::test_support {

// A fresh directory "<prefix>-XXXXXX" under the system temp dir ($TMPDIR, else /tmp), removed
// with everything in it on destruction. The prefix tells whose leftovers a crashed test left;
// keep it short where Unix socket paths (108 bytes) are made inside.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;  // cleanup must not throw over a test's own failure
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path()/relative as a string, for the APIs under test that take paths as strings.
  std::string operator/(std::string_view relative) const { return (path_ / relative).string(); }

  // Writes `content` to path()/relative, creating parent directories; returns the file's path.
  std::filesystem::path Write(std::string_view relative, std::string_view content) const {
    const std::filesystem::path file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
    return file;
  }
  // The content of path()/relative; "" when it cannot be read.
  std::string Read(std::string_view relative) const {
    std::ifstream in(path_ / relative, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

 private:
  std::filesystem::path path_;
};

}  // namespace numalign::test_support
