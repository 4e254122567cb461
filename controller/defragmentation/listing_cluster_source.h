#pragma once

#include <memory>

#include "controller/defragmentation/cluster_source.h"
#include "kube/rest/api_client.h"

namespace numalign::controller {

// Lists nodes, NRTs, pods and PodDisruptionBudgets on every Read and builds a fresh node view:
// no state between passes, four lists per pass.
class ListingClusterSource final : public ClusterSource {
 public:
  explicit ListingClusterSource(std::shared_ptr<kube::ApiClient> client)
      : client_(std::move(client)) {}
  ClusterSnapshot Read(const std::string& scheduler_name) override;
  std::string NotReadyReason() const override { return ""; }

 private:
  std::shared_ptr<kube::ApiClient> client_;
};

}  // namespace numalign::controller
