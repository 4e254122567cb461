#pragma once

#include <string>

namespace numalign::kube {

// Supplies the bearer token for each request. Tokens can change under a running program (a
// rotated service-account token, an exec plugin's short-lived token), so the client asks for
// every request and calls Invalidate() after a 401 before retrying once.
class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  // "" when the source has no token. Throws ConfigError when the source cannot produce one.
  virtual std::string BearerToken() = 0;
  virtual void Invalidate() {}
};

class StaticTokenProvider final : public CredentialProvider {
 public:
  explicit StaticTokenProvider(std::string token) : token_(std::move(token)) {}
  std::string BearerToken() override { return token_; }

 private:
  std::string token_;
};

}  // namespace numalign::kube
