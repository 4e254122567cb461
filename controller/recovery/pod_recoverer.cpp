#include "controller/recovery/pod_recoverer.h"

#include "common/logging/log.h"
#include "kube/clock/time_format.h"
#include "kube/objects/pod.h"
#include "kube/rest/api_error.h"
#include "kube/rest/pod_actions.h"
#include "kube/rest/resource.h"

namespace numalign::controller {

using kube::Json;

namespace {

std::optional<kube::OwnerReference> ControllerOf(const kube::PodView& pod) {
  for (const auto& owner : pod.OwnerReferences()) {
    if (owner.controller && !owner.uid.empty()) return owner;
  }
  return std::nullopt;
}

bool IsRunningAndReady(const kube::PodView& pod) {
  return pod.Phase() == "Running" && pod.ConditionStatus("Ready") == "True";
}

}  // namespace

PodRecoverer::PodRecoverer(std::shared_ptr<kube::ApiClient> client,
                           std::shared_ptr<kube::Clock> clock,
                           std::shared_ptr<kube::EventRecorder> events,
                           std::shared_ptr<ControllerMetrics> metrics, RecoveryOptions options)
    : client_(std::move(client)),
      clock_(std::move(clock)),
      events_(std::move(events)),
      metrics_(std::move(metrics)),
      options_(options),
      backoff_(options.backoff) {}

int PodRecoverer::Attempts(const std::string& owner_uid) const {
  std::lock_guard lock(mu_);
  return backoff_.Attempts(owner_uid);
}

void PodRecoverer::ReconcileOnce() {
  const Json pods = client_->List(kube::resources::Pods(), "");
  ResetHealthyOwners(pods);
  std::set<std::string> seen;
  for (const Json& object : pods.value("items", Json::array())) {
    const kube::PodView pod(object);
    seen.insert(pod.Uid());
    const auto failure = ClassifyPodFailure(pod);
    if (!failure) continue;
    try {
      Recover(object, *failure);
    } catch (const kube::ApiError& e) {
      if (!e.IsNotFound() && !e.IsConflict()) {
        logging::warning("Recovery failed", {{"pod", pod.Key()}, {"error", e.what()}});
      }
    } catch (const std::exception& e) {
      logging::warning("Recovery failed", {{"pod", pod.Key()}, {"error", e.what()}});
    }
  }
  std::lock_guard lock(mu_);
  std::erase_if(reported_, [&](const std::string& uid) { return !seen.contains(uid); });
  backoff_.Forget(clock_->Now());
}

// An owner whose pod created after our last recovery now runs and is ready has found a place:
// its next failure starts the backoff from the base again.
void PodRecoverer::ResetHealthyOwners(const Json& pods) {
  std::lock_guard lock(mu_);
  for (const Json& object : pods.value("items", Json::array())) {
    const kube::PodView pod(object);
    const auto owner = ControllerOf(pod);
    if (!owner || !IsRunningAndReady(pod)) continue;
    const auto last = backoff_.LastRecovery(owner->uid);
    const auto created = kube::CreationTimestampOf(object);
    if (last && created && *created >= std::chrono::floor<std::chrono::seconds>(*last)) {
      logging::info("Owner has a ready pod again; recovery backoff reset",
                    {{"owner", owner->kind + "/" + owner->name}});
      backoff_.Reset(owner->uid);
    }
  }
}

void PodRecoverer::Recover(const Json& object, const PodFailure& failure) {
  const kube::PodView pod(object);
  const auto owner = ControllerOf(pod);
  if (!owner) {
    MarkStandalone(object, failure);
    return;
  }
  const auto now = clock_->Now();
  std::unique_lock lock(mu_);
  if (!backoff_.Allowed(owner->uid, now)) {
    if (reported_.insert(pod.Uid()).second) {
      const auto wait =
          std::chrono::duration_cast<std::chrono::seconds>(backoff_.NextAllowed(owner->uid) - now);
      lock.unlock();
      events_->Event(object, kube::kEventTypeWarning, "NUMARecoveryBackoff",
                     failure.reason + ": " + owner->kind + " " + owner->name +
                         " recovered too often recently; next recovery in " +
                         std::to_string(wait.count()) + "s");
      metrics_->CountRecovery(failure.reason, "backoff");
    }
    return;
  }
  const auto delay = backoff_.RecordRecovery(owner->uid, now);
  const int attempt = backoff_.Attempts(owner->uid);
  lock.unlock();
  events_->Event(object, kube::kEventTypeWarning, "NUMARecovery",
                 failure.reason + ": " + failure.message.substr(0, 256) + "; deleting the pod so " +
                     owner->kind + " " + owner->name + " recreates it with current NUMA data" +
                     " (recovery " + std::to_string(attempt) + ")");
  kube::DeleteOptions options;
  options.precondition_uid = pod.Uid();  // never a successor that took the same name
  client_->Delete(kube::resources::Pods(), pod.Namespace(), pod.Name(), options);
  metrics_->CountRecovery(failure.reason, "deleted");
  logging::info("Deleted failed pod for recreation",
                {{"pod", pod.Key()},
                 {"reason", failure.reason},
                 {"owner", owner->kind + "/" + owner->name},
                 {"attempt", std::to_string(attempt)},
                 {"nextAllowedIn", std::to_string(delay.count()) + "ms"}});
}

void PodRecoverer::MarkStandalone(const Json& object, const PodFailure& failure) {
  const kube::PodView pod(object);
  if (pod.ConditionStatus(kRecoverableCondition) == "False") return;  // already said
  Json updated = object;
  Json& conditions = updated["status"]["conditions"];
  if (!conditions.is_array()) conditions = Json::array();
  Json kept = Json::array();
  for (const Json& c : conditions) {
    if (!c.is_object() || c.value("type", "") != kRecoverableCondition) kept.push_back(c);
  }
  conditions = std::move(kept);
  conditions.push_back({{"type", kRecoverableCondition},
                        {"status", "False"},
                        {"reason", failure.reason},
                        {"message",
                         "no controller owns this pod, so numalign-controller does not "
                         "recreate it; delete and recreate it to retry: " +
                             failure.message.substr(0, 512)},
                        {"lastTransitionTime", kube::FormatTime(clock_->Now())}});
  kube::UpdateStatus(*client_, kube::resources::Pods(), pod.Namespace(), updated);
  events_->Event(
      object, kube::kEventTypeWarning, "NUMARecoveryImpossible",
      failure.reason + ": standalone pod, not recreated: " + failure.message.substr(0, 256));
  metrics_->CountRecovery(failure.reason, "standalone");
  logging::warning("Standalone pod failed; not recreated",
                   {{"pod", pod.Key()},
                    {"reason", failure.reason},
                    {"condition", std::string(kRecoverableCondition) + "=False"}});
}

}  // namespace numalign::controller
