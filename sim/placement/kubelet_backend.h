#pragma once

#include <memory>
#include <vector>

#include "sim/placement/event_driver.h"
#include "sim/placement/kubelet_fleet.h"
#include "sim/scheduler/scheduler_model.h"

namespace numalign::sim {

// What a scheduler plugin with its own data source (the NRT plugin and its exporters) must see
// of the nodes besides the scheduling cycle.
class FleetListener {
 public:
  virtual ~FleetListener() = default;
  // Virtual time reached `time_s`; `fleet` is the nodes' state at that moment.
  virtual void AdvanceTo(double time_s, const KubeletFleet& fleet) = 0;
  // A pod the scheduler had placed left its node (deleted, or failed admission).
  virtual void PodGone(const std::string& node, const SimPod& pod) = 0;
};

// Placement by the scheduler model (in-tree plugins, optionally a topology plugin) followed by
// the chosen node's kubelet admission: topology-blind and NRT-plugin placements.
class KubeletBackend final : public PlacementBackend {
 public:
  // `plugin` and `listener` may be null and must outlive the backend.
  KubeletBackend(const ClusterSpec& cluster, const std::vector<numa::Machine>& machines,
                 TopologyPlugin* plugin, FleetListener* listener);

  void AdvanceTo(double time_s) override;
  AttemptResult Place(const SimPod& incarnation, const nlohmann::json& pod_object) override;
  void Remove(const SimPod& incarnation, const std::string& node) override;

  const KubeletFleet& fleet() const { return fleet_; }

 private:
  KubeletFleet fleet_;
  SchedulerModel scheduler_;
  FleetListener* listener_;
};

}  // namespace numalign::sim
