#pragma once

#include <memory>

#include "controller/metrics/controller_metrics.h"
#include "controller/reconciler.h"
#include "kube/rest/api_client.h"

namespace numalign::controller {

// Refreshes the per-node gauges (allocatable/used per NUMA zone, fragmentation index, stale
// nodes) from the NRTs on every pass. Pending NUMA pods are counted by the defragmenter, which
// lists them anyway.
class ClusterMetricsCollector final : public Reconciler {
 public:
  ClusterMetricsCollector(std::shared_ptr<kube::ApiClient> client,
                          std::shared_ptr<ControllerMetrics> metrics)
      : client_(std::move(client)), metrics_(std::move(metrics)) {}
  std::string_view Name() const override { return "metrics"; }
  void ReconcileOnce() override;

 private:
  std::shared_ptr<kube::ApiClient> client_;
  std::shared_ptr<ControllerMetrics> metrics_;
};

}  // namespace numalign::controller
