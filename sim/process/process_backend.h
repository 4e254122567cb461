#pragma once

#include <map>
#include <set>
#include <string>

#include "sim/placement/event_driver.h"
#include "sim/process/creation_order_guard.h"
#include "sim/process/http_extender_client.h"
#include "sim/process/process_cluster.h"
#include "sim/scheduler/scheduler_model.h"

namespace numalign::sim::process {

// The numalign placement on a running ProcessCluster. Each attempt:
//  1. creates the pod in the API server (a pending pod stays there and is reused on retry);
//  2. runs the scheduler model's cycle (sim/scheduler) with the extender over HTTP; the
//     extender's bind verb writes numalign.io/allocation and the binding;
//  3. lets the simulated kubelet start the pod on its node, then waits for the node's
//     numalign-agent: numalign.io/pinned (placed: the allocations are read from the agent's
//     checkpoint) or numalign.io/pinning-failed (an admission error: the kubelet fails the pod;
//     numalign-controller deletes one that has an owner, and the kubelet finishes the deletion).
// Remove deletes the pod through the API like a user, and returns once its agent released it.
class ProcessBackend final : public PlacementBackend {
 public:
  ProcessBackend(ProcessCluster& cluster, SchedulerModel& scheduler,
                 std::chrono::milliseconds pod_timeout);

  void AdvanceTo(double time_s) override;
  AttemptResult Place(const SimPod& incarnation, const nlohmann::json& pod_object) override;
  void Remove(const SimPod& incarnation, const std::string& node) override;

  // Pods numalign-controller deleted for recovery, and agent placements that used the
  // extender's decision / were decided on the node.
  int controller_recoveries() const { return controller_recoveries_; }
  int extender_decisions_used() const { return extender_decisions_used_; }
  int node_decisions() const { return node_decisions_; }

 private:
  nlohmann::json CreateInApi(const SimPod& incarnation, const nlohmann::json& pod_object);
  void EnsureNamespace(const std::string& name);
  // The pod as the API serves it, or null when it is gone (or replaced by another uid).
  nlohmann::json Fetch(const std::string& ns, const std::string& name, const std::string& uid);
  // Polls `fetch` until `done` holds for the pod; throws (naming `what`) on timeout or when a
  // program exited.
  nlohmann::json WaitFor(const std::string& ns, const std::string& name, const std::string& uid,
                         const std::string& what,
                         const std::function<bool(const nlohmann::json&)>& done);
  AttemptResult Placed(const nlohmann::json& pod, const std::string& node);
  AttemptResult Rejected(const SimPod& incarnation, const nlohmann::json& pod,
                         const std::string& node, const std::string& failure);
  void WaitForRelease(const std::string& node, const std::string& uid);

  ProcessCluster& cluster_;
  SchedulerModel& scheduler_;
  std::chrono::milliseconds pod_timeout_;
  CreationOrderGuard order_;
  std::set<std::string> namespaces_;
  std::map<std::string, nlohmann::json> pending_;  // pod key -> its API object, while pending
  int controller_recoveries_ = 0;
  int extender_decisions_used_ = 0;
  int node_decisions_ = 0;
};

}  // namespace numalign::sim::process
