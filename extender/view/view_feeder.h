#pragma once

#include <chrono>
#include <memory>

#include "extender/view/node_view.h"
#include "kube/informer/informer.h"
#include "kube/rest/api_client.h"

namespace numalign::extender {

// Keeps a NodeView current from three informers (NodeResourceTopologies, pods, nodes). The
// extender is ready (/readyz) only once all three have synced: before that, a filter would
// answer from a partial view and could over-commit a NUMA node.
class ViewFeeder {
 public:
  ViewFeeder(std::shared_ptr<kube::ApiClient> api, std::shared_ptr<NodeView> view);
  ~ViewFeeder();

  void Start();
  void Stop();
  bool Synced() const;
  bool WaitForSync(std::chrono::milliseconds timeout) const;

 private:
  std::shared_ptr<NodeView> view_;
  std::unique_ptr<kube::Informer> nrts_;
  std::unique_ptr<kube::Informer> pods_;
  std::unique_ptr<kube::Informer> nodes_;
};

}  // namespace numalign::extender
