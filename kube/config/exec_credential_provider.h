#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kube/clock/clock.h"
#include "kube/config/credential_provider.h"

namespace numalign::kube {

// A kubeconfig user's `exec` stanza (client.authentication.k8s.io ExecCredential plugins, as
// used by EKS, GKE, AKS and OIDC helpers).
struct ExecConfig {
  std::string api_version;  // client.authentication.k8s.io/v1 or /v1beta1
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string install_hint;
  bool provide_cluster_info = false;
  // Cluster info handed to the plugin when provide_cluster_info is set.
  std::string cluster_server;
  std::string cluster_ca_data_base64;
  bool cluster_insecure = false;
  // A relative command with a '/' is resolved against the kubeconfig's directory, as kubectl does.
  std::filesystem::path base_dir;
  // For messages: "kubeconfig /x/config users[0] \"eks\": exec".
  std::string origin;
};

// Runs the plugin and caches its token until status.expirationTimestamp (or until Invalidate()
// after a 401 when it gave none). The plugin's stderr goes to ours, for interactive hints.
class ExecCredentialProvider final : public CredentialProvider {
 public:
  explicit ExecCredentialProvider(ExecConfig config, std::shared_ptr<Clock> clock = SystemClock());

  std::string BearerToken() override;
  void Invalidate() override;
  // How many times the plugin ran (tests check the cache).
  int runs() const;

 private:
  std::string RunPlugin() const;

  ExecConfig config_;
  std::shared_ptr<Clock> clock_;
  mutable std::mutex mu_;
  std::optional<std::string> token_;
  std::optional<Clock::TimePoint> expiry_;
  int runs_ = 0;
};

}  // namespace numalign::kube
