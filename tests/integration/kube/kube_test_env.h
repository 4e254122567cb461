#pragma once

#include <memory>
#include <string>

#include "kube/config/rest_config.h"
#include "kube/rest/rest_client.h"

namespace numalign::test_apiserver {
class TestApiServer;
}

namespace numalign::kube::integration {

// Where the integration tests run: the cluster named by KUBECONFIG when it is set, otherwise an
// in-process test API server. Each environment owns a fresh namespace and deletes it at the end.
class KubeTestEnv {
 public:
  KubeTestEnv();
  ~KubeTestEnv();

  // True against the in-repo server, where fault injection is available.
  bool local() const { return server_ != nullptr; }
  test_apiserver::TestApiServer& server() { return *server_; }

  const RestConfig& config() const { return config_; }
  std::shared_ptr<RestClient> client() const { return client_; }
  // A second client with its own credentials and rate limiter (another process's view).
  std::shared_ptr<RestClient> NewClient() const;
  const std::string& ns() const { return namespace_; }
  const std::string& kubeconfig_path() const { return kubeconfig_path_; }
  // Creates the NodeResourceTopology CRD when the cluster lacks it and waits until served.
  void EnsureNrtCrd();

 private:
  std::unique_ptr<test_apiserver::TestApiServer> server_;
  std::string kubeconfig_path_;
  RestConfig config_;
  std::shared_ptr<RestClient> client_;
  std::string namespace_;
};

// "prefix-<random>", a DNS label.
std::string UniqueName(const std::string& prefix);

}  // namespace numalign::kube::integration
