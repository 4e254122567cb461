#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "sim/model/cluster_spec.h"
#include "sim/model/placement_result.h"
#include "sim/model/workload.h"

namespace numalign::sim {

// Progress callbacks for the terminal's progress bar. Called from the thread running the
// placement, after each event; implementations must be cheap.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void OnProgress(const std::string& placement, std::size_t events_done,
                          std::size_t events_total) = 0;
};

class NullRunObserver final : public RunObserver {
 public:
  void OnProgress(const std::string&, std::size_t, std::size_t) override {}
};

// One way of placing a workload on a cluster (topology-blind, NRT plugin, numalign in-process,
// numalign as processes). Run is called once per placement object; everything it needs beyond
// the cluster and workload comes from its constructor's options. Throws std::runtime_error with
// a clear message when the cluster cannot be set up (unreadable topology, invalid kubelet
// configuration, a process that does not start).
class Placement {
 public:
  virtual ~Placement() = default;
  virtual std::string Name() const = 0;
  virtual PlacementResult Run(const ClusterSpec& cluster, const Workload& workload,
                              RunObserver& observer) = 0;
};

}  // namespace numalign::sim
