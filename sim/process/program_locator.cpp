#include "sim/process/program_locator.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace numalign::sim::process {
namespace {

bool Executable(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

// The build tree's location of each program, from CMake ($<TARGET_FILE:...>).
std::string BuildTreePath(const std::string& program) {
  static const std::map<std::string, std::string> kBuilt = {
#ifdef NUMALIGN_AGENT_BINARY
      {"numalign-agent", NUMALIGN_AGENT_BINARY},
#endif
#ifdef NUMALIGN_EXTENDER_BINARY
      {"numalign-extender", NUMALIGN_EXTENDER_BINARY},
#endif
#ifdef NUMALIGN_TEST_APISERVER_BINARY
      {"numalign-test-apiserver", NUMALIGN_TEST_APISERVER_BINARY},
#endif
#ifdef NUMALIGN_CONTROLLER_BINARY
      {"numalign-controller", NUMALIGN_CONTROLLER_BINARY},
#endif
  };
  auto it = kBuilt.find(program);
  return it == kBuilt.end() ? std::string() : it->second;
}

}  // namespace

std::string LocateProgram(const std::string& program, const std::string& given) {
  if (!given.empty()) {
    if (!Executable(given)) throw std::runtime_error(program + ": " + given + " is not executable");
    return given;
  }
  std::vector<std::filesystem::path> candidates;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(self.parent_path() / program);
  if (auto built = BuildTreePath(program); !built.empty()) candidates.emplace_back(built);
  if (const char* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      if (!dir.empty()) candidates.push_back(std::filesystem::path(dir) / program);
    }
  }
  std::string tried;
  for (const auto& candidate : candidates) {
    if (Executable(candidate)) return candidate.string();
    tried += "\n  " + candidate.string();
  }
  throw std::runtime_error("cannot find " + program + "; tried:" + tried);
}

}  // namespace numalign::sim::process
