#pragma once

// Test-only helpers for the topology loaders' tests: where the recorded topologies live,
// temporary directories, and extracting the recorded sysfs tarballs. Header-only so that the
// library glob (every non-test .cpp) does not pick it up.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/support/temp_dir.h"

namespace numalign::numa::testing {

// NUMALIGN_SHARED (environment) or the build's NUMALIGN_SHARED_DIR, + "/topologies".
inline std::filesystem::path TopologiesDir() {
  const char* env = std::getenv("NUMALIGN_SHARED");
  std::string shared = env && *env ? env : "";
#ifdef NUMALIGN_SHARED_DIR
  if (shared.empty()) shared = NUMALIGN_SHARED_DIR;
#endif
  return std::filesystem::path(shared) / "topologies";
}

// Fails the test (never skips) when recorded data is missing, naming the path and how to fix it.
inline ::testing::AssertionResult PathExists(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "required test data missing: " << path
         << " (set NUMALIGN_SHARED to the shared/ directory or configure NUMALIGN_SHARED_DIR)";
}

// A fresh directory for a test's topology tree (numalign-topo-XXXXXX), removed at the end.
class TempDir : public test_support::TempDir {
 public:
  TempDir() : test_support::TempDir("numalign-topo") {}
};

// Extracts a .tar.bz2 into `dest`; returns the path of `top_dir` inside it, or empty on failure.
inline std::filesystem::path ExtractTarball(const std::filesystem::path& tarball,
                                            const std::filesystem::path& dest,
                                            const std::string& top_dir) {
  const std::string command = "tar xjf '" + tarball.string() + "' -C '" + dest.string() + "' 2>&1";
  if (tarball.string().find('\'') != std::string::npos ||
      dest.string().find('\'') != std::string::npos || std::system(command.c_str()) != 0) {
    return {};
  }
  const auto top = dest / top_dir;
  return std::filesystem::is_directory(top) ? top : std::filesystem::path();
}

}  // namespace numalign::numa::testing
