#include "kube/config/token_file_provider.h"

#include <fstream>
#include <sstream>

#include "kube/errors.h"

namespace numalign::kube {

std::string ReadFileOrThrow(const std::filesystem::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(what + ": cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) throw ConfigError(what + ": error reading " + path.string());
  return out.str();
}

namespace {

std::string Trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

}  // namespace

TokenFileProvider::TokenFileProvider(std::filesystem::path path) : path_(std::move(path)) {}

std::string TokenFileProvider::BearerToken() {
  std::lock_guard lock(mu_);
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(path_, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(path_, ec);
  if (ec) {
    // Keep serving the last token through a rotation's brief gap.
    if (loaded_) return token_;
    throw ConfigError("token file " + path_.string() + ": " + ec.message());
  }
  if (!loaded_ || stale_ || mtime != mtime_ || size != size_) {
    std::string token = Trim(ReadFileOrThrow(path_, "token file"));
    if (token.empty()) {
      if (loaded_) return token_;
      throw ConfigError("token file " + path_.string() + " is empty");
    }
    token_ = std::move(token);
    mtime_ = mtime;
    size_ = size;
    loaded_ = true;
    stale_ = false;
  }
  return token_;
}

void TokenFileProvider::Invalidate() {
  std::lock_guard lock(mu_);
  // loaded_ stays true: the old token remains the fallback if the re-read fails.
  stale_ = true;
}

}  // namespace numalign::kube
