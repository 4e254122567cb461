#include "agent/pods/pod_controller.h"

#include <algorithm>

#include "agent/pinning/pod_pinning_plan.h"
#include "numa/allocation/pinned_annotation.h"
#include "numa/pod/pod_requests.h"

namespace numalign::agent {

PodController::PodController(AllocationEngine& engine, CgroupPinner& pinner, PodApi& api,
                             NodeStateHub& hub, AgentMetrics& metrics, std::string node_name,
                             Logger log)
    : engine_(engine),
      pinner_(pinner),
      api_(api),
      hub_(hub),
      metrics_(metrics),
      node_name_(std::move(node_name)),
      log_(std::move(log)) {}

void PodController::Log(const std::string& level, const std::string& message) const {
  if (log_) log_(level, message);
}

void PodController::Publish() {
  metrics_.admitted_pods = engine_.RecordsInOrder().size();
  metrics_.state_generation = engine_.generation();
  hub_.Publish(engine_.Snapshot());
}

RestoreReport PodController::Start(const std::vector<PodObservation>& pods) {
  for (const auto& pod : pods) {
    if (!pod.terminated) pods_[pod.spec.uid] = pod;
  }
  RestoreReport report = engine_.Restore(
      pods, [this](const PodObservation& pod) { return pinner_.ReadPinned(pod, node_name_); });
  if (report.checkpoint == RestoreReport::Checkpoint::kCorrupted) {
    ++metrics_.checkpoint_corruptions_total;
    Log("error",
        "checkpoint refused and rebuilt from pinned annotations and cgroups: " + report.problem);
    api_.RecordNodeEvent("Warning", "CheckpointCorrupted",
                         "numalign-agent checkpoint refused (" + report.problem + "); rebuilt " +
                             std::to_string(report.rebuilt.size()) + " pods from " +
                             "their pinning, re-admitted " +
                             std::to_string(report.admitted.size()));
  }
  if (report.save_error) {
    ++metrics_.checkpoint_write_errors_total;
    Log("error", "checkpoint write failed at start-up: " + *report.save_error);
  }
  for (const auto& uid : report.rejected) {
    failed_[uid] = "rejected at start-up";
    auto it = pods_.find(uid);
    if (it == pods_.end()) continue;
    ++metrics_.pinning_errors_total;
    const std::string message = "Resources cannot be allocated with Topology locality";
    api_.RecordEvent(it->second.spec.namespace_name, it->second.spec.name, uid, "Warning",
                     "TopologyAffinityError", message);
    Annotate(it->second,
             {{std::string(numa::kPinningFailedAnnotation), "TopologyAffinityError: " + message}});
  }
  Publish();
  // Every pod is pinned here, so shared-pool containers get the current pool.
  shared_pool_pinned_ = engine_.SharedPool();
  for (const auto& record : engine_.RecordsInOrder()) {
    if (auto it = pods_.find(record.uid); it != pods_.end()) PinPod(it->second);
  }
  FlushPatches();
  return report;
}

void PodController::OnPodUpsert(const PodObservation& pod) {
  if (pod.terminated) {
    pods_[pod.spec.uid] = pod;  // Process releases it
  } else {
    pods_[pod.spec.uid] = pod;
  }
  Process(pod.spec.uid);
}

void PodController::OnPodDeleted(const std::string& uid) {
  auto it = pods_.find(uid);
  if (it != pods_.end()) it->second.terminated = true;
  Process(uid);
}

void PodController::Process(const std::string& uid) {
  auto it = pods_.find(uid);
  const bool gone = it == pods_.end() || it->second.terminated;
  if (gone) {
    if (it != pods_.end()) pods_.erase(it);
    failed_.erase(uid);
    retry_.erase(uid);
    annotated_.erase(uid);
    pending_patches_.erase(uid);
    std::optional<std::string> save_error;
    if (engine_.Release(uid, &save_error)) {
      if (save_error) {
        ++metrics_.checkpoint_write_errors_total;
        Log("error", "checkpoint write after release failed (kept in memory): " + *save_error);
      }
      Publish();
      // Resources came back: pods that did not fit get another chance, in admission order.
      std::vector<std::string> again;
      for (const auto& [failed_uid, reason] : failed_) again.push_back(failed_uid);
      failed_.clear();
      for (const auto& u : again) Process(u);
    }
    return;
  }
  PlaceAndPin({uid});
}

void PodController::OnPodUpserts(const std::vector<PodObservation>& pods) {
  std::vector<std::string> batch;
  for (const auto& pod : pods) {
    pods_[pod.spec.uid] = pod;
    if (!pod.terminated) {
      if (std::find(batch.begin(), batch.end(), pod.spec.uid) == batch.end()) {
        batch.push_back(pod.spec.uid);
      }
      continue;
    }
    // A release keeps its place in the sequence: what came before it is placed first.
    PlaceAndPin(batch);
    batch.clear();
    Process(pod.spec.uid);
  }
  PlaceAndPin(batch);
}

void PodController::PlaceAndPin(const std::vector<std::string>& uids) {
  std::vector<const PodObservation*> candidates;
  std::vector<bool> known;
  for (const auto& uid : uids) {
    auto it = pods_.find(uid);
    if (it == pods_.end() || it->second.terminated || failed_.count(uid)) continue;
    candidates.push_back(&it->second);
    known.push_back(engine_.Find(uid) != nullptr);
  }
  if (candidates.empty()) return;
  // One checkpoint for the whole burst, then the pins (AllocationEngine::PlaceAll).
  const std::vector<PlacementOutcome> outcomes = engine_.PlaceAll(candidates);
  std::vector<const PodObservation*> to_pin;
  bool changed = false;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const PodObservation& pod = *candidates[i];
    const std::string& uid = pod.spec.uid;
    const PlacementOutcome& outcome = outcomes[i];
    const numa::PodRequests requests = numa::ComputePodRequests(pod.spec);
    if (!known[i] && requests.Guaranteed()) {
      metrics_.pinning_requests_total += requests.containers.size();
    }
    if (!outcome.decision_refused.empty()) {
      ++metrics_.extender_decisions_refused_total;
      Log("warning",
          "pod " + pod.spec.Key() + ": extender decision not used: " + outcome.decision_refused);
    }
    switch (outcome.kind) {
      case PlacementOutcome::Kind::kRejected:
        ++metrics_.pinning_errors_total;
        failed_[uid] = outcome.reason;
        Log("warning", "pod " + pod.spec.Key() + ": " + outcome.reason + ": " + outcome.message);
        api_.RecordEvent(pod.spec.namespace_name, pod.spec.name, uid, "Warning", outcome.reason,
                         outcome.message);
        Annotate(pod, {{std::string(numa::kPinningFailedAnnotation),
                        outcome.reason + ": " + outcome.message}});
        continue;
      case PlacementOutcome::Kind::kCheckpointFailed:
        ++metrics_.checkpoint_write_errors_total;
        Log("error",
            "pod " + pod.spec.Key() + ": not pinned, checkpoint write failed: " + outcome.message);
        retry_.insert(uid);
        continue;
      case PlacementOutcome::Kind::kAdmitted:
        break;
    }
    if (!outcome.already_known) {
      changed = true;
      if (outcome.source == PlacementSource::kExtender) {
        ++metrics_.extender_decisions_accepted_total;
      }
    }
    to_pin.push_back(&pod);
  }
  if (changed) Publish();
  // The shared-pool containers of other pods follow later (RepinSharedPoolIfChanged).
  for (const PodObservation* pod : to_pin) PinPod(*pod);
}

void PodController::PinPod(const PodObservation& pod) {
  const std::string& uid = pod.spec.uid;
  PodPinningPlan plan = PlanPodPinning(engine_, pod, node_name_);
  std::vector<std::string> skipped;
  auto pinning = ToCgroupPinning(plan, pod, &skipped);
  for (const auto& s : skipped) Log("warning", "pod " + pod.spec.Key() + ": container " + s);
  if (!pinning) {
    ++metrics_.cgroup_write_errors_total;
    Log("error", "pod " + pod.spec.Key() + ": cannot pin: " + pinning.error().ToString());
    return;
  }
  PinAttempt attempt = pinner_.Pin(pinning.value());
  if (!attempt.ok) {
    retry_.insert(uid);
    if (!attempt.pod_cgroup_missing) {
      ++metrics_.cgroup_write_errors_total;
      Log("error", "pod " + pod.spec.Key() + ": pinning failed: " + attempt.error);
    }
    return;
  }
  // Containers not started yet (or without an id in the status) are pinned on a later event.
  if (!attempt.pending.empty() || pinning->containers.size() < plan.record.containers.size()) {
    retry_.insert(uid);
  } else {
    retry_.erase(uid);
  }
  const std::string value = numa::SerializePinnedRecord(plan.record);
  if (annotated_[uid] != value && pod.pinned_annotation != value) {
    annotated_[uid] = value;
    std::map<std::string, std::optional<std::string>> changes = {
        {std::string(numa::kPinnedAnnotation), value}};
    changes[std::string(numa::kPinningFailedAnnotation)] = std::nullopt;
    Annotate(pod, std::move(changes));
  }
}

bool PodController::SharedPoolRepinPending() const {
  return !repin_queue_.empty() || engine_.SharedPool() != shared_pool_pinned_;
}

bool PodController::RepinSharedPoolIfChanged(const std::function<bool()>& yield) {
  std::vector<int> pool = engine_.SharedPool();
  if (pool != shared_pool_pinned_) {
    // A new pool: every pod again, even those a previous, interrupted pass already did.
    // Recorded first: a container whose write fails is in retry_ and re-pinned by Tick.
    shared_pool_pinned_ = std::move(pool);
    repin_queue_.clear();
    for (const auto& record : engine_.RecordsInOrder()) repin_queue_.push_back(record.uid);
  }
  if (repin_queue_.empty()) return false;
  while (!repin_queue_.empty()) {
    if (yield && yield()) return true;
    const std::string uid = std::move(repin_queue_.front());
    repin_queue_.pop_front();
    auto it = pods_.find(uid);
    if (it == pods_.end()) continue;
    if (PlanPodPinning(engine_, it->second, node_name_).uses_shared_pool) PinPod(it->second);
  }
  FlushPatches();
  return true;
}

void PodController::Annotate(const PodObservation& pod,
                             std::map<std::string, std::optional<std::string>> changes) {
  auto& pending = pending_patches_[pod.spec.uid];
  pending.namespace_name = pod.spec.namespace_name;
  pending.name = pod.spec.name;
  for (auto& [key, value] : changes) pending.changes[key] = std::move(value);
  FlushPatches();
}

void PodController::FlushPatches() {
  for (auto it = pending_patches_.begin(); it != pending_patches_.end();) {
    std::string error;
    if (api_.PatchAnnotations(it->second.namespace_name, it->second.name, it->first,
                              it->second.changes, &error)) {
      it = pending_patches_.erase(it);
    } else {
      ++metrics_.annotation_patch_errors_total;
      Log("warning", "annotation patch for " + it->second.namespace_name + "/" + it->second.name +
                         " failed, will retry: " + error);
      ++it;
    }
  }
}

void PodController::Tick() {
  std::set<std::string> retry;
  retry.swap(retry_);
  for (const auto& uid : retry) Process(uid);
  RepinSharedPoolIfChanged();
  for (const auto& record : engine_.RecordsInOrder()) {
    auto it = pods_.find(record.uid);
    if (it == pods_.end() || retry_.count(record.uid)) continue;
    PodPinningPlan plan = PlanPodPinning(engine_, it->second, node_name_);
    auto pinning = ToCgroupPinning(plan, it->second, nullptr);
    if (!pinning) continue;
    PinAttempt attempt = pinner_.Reconcile(pinning.value());
    if (attempt.repaired > 0) {
      metrics_.cgroup_drift_repairs_total += static_cast<std::uint64_t>(attempt.repaired);
      Log("warning", "pod " + it->second.spec.Key() + ": restored " +
                         std::to_string(attempt.repaired) + " overwritten cpusets");
    }
  }
  FlushPatches();
}

}  // namespace numalign::agent
