#include "sim/placement/kubelet_backend.h"

#include "sim/scheduler/scheduler_nodes.h"

namespace numalign::sim {

KubeletBackend::KubeletBackend(const ClusterSpec& cluster,
                               const std::vector<numa::Machine>& machines, TopologyPlugin* plugin,
                               FleetListener* listener)
    : fleet_(cluster, machines),
      scheduler_(SchedulerNodes(cluster, machines), nullptr, plugin),
      listener_(listener) {}

void KubeletBackend::AdvanceTo(double time_s) {
  if (listener_ != nullptr) listener_->AdvanceTo(time_s, fleet_);
}

AttemptResult KubeletBackend::Place(const SimPod& incarnation, const nlohmann::json& pod_object) {
  AttemptResult out;
  SchedulingDecision decision = scheduler_.Schedule(incarnation, pod_object);
  if (decision.node.empty()) {
    out.kind = AttemptResult::Kind::kPending;
    out.reason = decision.reason;
    return out;
  }
  out.node = decision.node;
  numa::AdmitResult admitted = fleet_.Admit(decision.node, incarnation.spec);
  if (!admitted.admit) {
    // The kubelet fails the pod; a terminal pod's requests leave the scheduler's node totals.
    scheduler_.RemovePod(incarnation.spec.Key());
    if (listener_ != nullptr) listener_->PodGone(decision.node, incarnation);
    out.kind = AttemptResult::Kind::kAdmissionError;
    out.reason = admitted.reason + ": " + admitted.message;
    return out;
  }
  out.kind = AttemptResult::Kind::kPlaced;
  out.containers = std::move(admitted.containers);
  return out;
}

void KubeletBackend::Remove(const SimPod& incarnation, const std::string& node) {
  scheduler_.RemovePod(incarnation.spec.Key());
  fleet_.Remove(node, incarnation.spec.uid);
  if (listener_ != nullptr) listener_->PodGone(node, incarnation);
}

}  // namespace numalign::sim
