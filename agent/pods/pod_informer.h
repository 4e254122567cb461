#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/pods/pod_worker.h"
#include "kube/informer/informer.h"
#include "kube/rest/api_client.h"

namespace numalign::agent {

// The pods of one node (field selector spec.nodeName=<node>) from a kube/ informer. While the
// API server is unreachable the informer keeps its cache and reconnects with backoff, so the
// worker keeps pinning from local state and catches up on the events that follow.
class PodInformer {
 public:
  using Logger = std::function<void(const std::string& level, const std::string& message)>;
  PodInformer(std::shared_ptr<kube::ApiClient> client, const std::string& node_name, Logger log);

  void Start() { informer_->Start(); }
  void Stop() { informer_->Stop(); }
  bool WaitForSync(std::chrono::milliseconds timeout) { return informer_->WaitForSync(timeout); }
  bool HasSynced() const { return informer_->HasSynced(); }
  // Every pod in the cache that can be parsed (the others are logged).
  std::vector<PodObservation> CachedPods() const;
  // Sends every later change (and, first, an add for each cached pod) to the worker.
  void Connect(PodWorker& worker);

 private:
  std::optional<PodObservation> Convert(const kube::Json& pod) const;

  std::unique_ptr<kube::Informer> informer_;
  Logger log_;
};

}  // namespace numalign::agent
