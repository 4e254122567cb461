#pragma once

#include <memory>
#include <string>

#include "kube/objects/object_meta.h"
#include "kube/rest/rest_client.h"
#include "tests/integration/extender/e2e/child_process.h"

namespace numalign::extender::integration {

// Where the extender's end-to-end tests run, as tests/integration/kube's KubeTestEnv: the
// cluster named by KUBECONFIG when it is set, otherwise the in-repo test API server — here as a
// child process (numalign-test-apiserver): linked into this binary, its Beast (built without
// BOOST_BEAST_USE_STD_STRING_VIEW) and the extender's (built with it) would break each other.
// Each environment owns a fresh namespace and deletes it at the end.
class E2eEnv {
 public:
  E2eEnv();
  ~E2eEnv();

  // True against the in-repo server, where fault injection is available.
  bool local() const { return server_ != nullptr; }
  // Local only: the next `count` requests whose path starts with `path` (and method matches)
  // are answered `latency_ms` late.
  void InjectLatency(const std::string& path, const std::string& method, int latency_ms, int count);

  std::shared_ptr<kube::RestClient> client() const { return client_; }
  // A second client with its own connection pool and rate limiter (another process's view).
  std::shared_ptr<kube::RestClient> NewClient() const;
  const std::string& ns() const { return namespace_; }
  const std::string& kubeconfig_path() const { return kubeconfig_path_; }
  // Creates the NodeResourceTopology CRD when the cluster lacks it and waits until served.
  void EnsureNrtCrd();

 private:
  std::unique_ptr<ChildProcess> server_;
  std::string kubeconfig_path_;
  std::shared_ptr<kube::RestClient> client_;
  std::string namespace_;
};

// "prefix-<random>", a DNS label.
std::string UniqueName(const std::string& prefix);

}  // namespace numalign::extender::integration
