#pragma once

#include "extender/config/decision_options.h"
#include "sim/placement/placement.h"

namespace numalign::sim {

struct NumalignOptions {
  extender::DecisionOptions decision;  // --scoring-strategy etc. of numalign-extender
  std::int64_t extender_weight = 5;    // the chart's extender weight
};

// 3. numalign in one process: the scheduler model with the extender's real decision layer
// (extender::NumaDecider over a NodeView fed with each node's NodeResourceTopology as
// numalign-agent publishes it and the pods' informer events) behind InProcessExtenderClient,
// and on every node numalign-agent's AllocationEngine, which validates the decision
// (numalign.io/allocation) with the kubelet's allocate functions before committing it, exactly
// as the agent does (checkpoints kept in memory).
class NumalignInProcessPlacement final : public Placement {
 public:
  explicit NumalignInProcessPlacement(NumalignOptions options = {}) : options_(options) {}
  std::string Name() const override { return "numalign"; }
  PlacementResult Run(const ClusterSpec& cluster, const Workload& workload,
                      RunObserver& observer) override;

 private:
  NumalignOptions options_;
};

}  // namespace numalign::sim
