#pragma once

#include <filesystem>
#include <mutex>
#include <string>

#include "kube/config/credential_provider.h"

namespace numalign::kube {

// A token kept in a file that someone else rewrites: the projected service-account token (the
// kubelet rotates it, swapping a symlink) or a kubeconfig `tokenFile`. The file is re-read when
// its modification time or size changes and after Invalidate().
class TokenFileProvider final : public CredentialProvider {
 public:
  explicit TokenFileProvider(std::filesystem::path path);

  // Throws ConfigError when the file cannot be read and no earlier token is known.
  std::string BearerToken() override;
  void Invalidate() override;

 private:
  std::filesystem::path path_;
  std::mutex mu_;
  std::string token_;
  std::filesystem::file_time_type mtime_{};
  std::uintmax_t size_ = 0;
  bool loaded_ = false;
  bool stale_ = false;
};

// Reads a whole file; throws ConfigError naming `what` (e.g. "users[0] \"admin\": tokenFile").
std::string ReadFileOrThrow(const std::filesystem::path& path, const std::string& what);

}  // namespace numalign::kube
