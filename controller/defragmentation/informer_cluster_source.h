#pragma once

#include <memory>

#include "controller/defragmentation/cluster_source.h"
#include "extender/view/node_view.h"
#include "kube/informer/informer.h"
#include "kube/rest/api_client.h"

namespace numalign::controller {

// Watches nodes, NRTs, pods and PodDisruptionBudgets and keeps the node view current
// incrementally (a node's admitter is rebuilt only when its NRT or its pods change), so a pass
// costs no API calls. Not ready until all four caches have synced: a plan made on a partial
// view could evict for nothing.
class InformerClusterSource final : public ClusterSource {
 public:
  explicit InformerClusterSource(std::shared_ptr<kube::ApiClient> client);
  ~InformerClusterSource() override;

  void Start();
  void Stop();
  ClusterSnapshot Read(const std::string& scheduler_name) override;
  std::string NotReadyReason() const override;

 private:
  std::shared_ptr<extender::NodeView> view_ = std::make_shared<extender::NodeView>();
  std::unique_ptr<kube::Informer> nodes_, nrts_, pods_, pdbs_;
};

}  // namespace numalign::controller
