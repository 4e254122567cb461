#pragma once

#include "sim/placement/placement.h"

namespace numalign::sim {

// 1. kube-scheduler's default fit and scoring on node totals, then the node's kubelet admission
// (numa/); a rejected ReplicaSet pod is recreated (sim/placement/event_driver.h).
class TopologyBlindPlacement final : public Placement {
 public:
  std::string Name() const override { return "topology-blind"; }
  PlacementResult Run(const ClusterSpec& cluster, const Workload& workload,
                      RunObserver& observer) override;
};

}  // namespace numalign::sim
