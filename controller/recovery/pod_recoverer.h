#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "controller/metrics/controller_metrics.h"
#include "controller/reconciler.h"
#include "controller/recovery/failure_classifier.h"
#include "controller/recovery/owner_backoff.h"
#include "kube/clock/clock.h"
#include "kube/events/event_recorder.h"
#include "kube/rest/api_client.h"

namespace numalign::controller {

// The pod condition a standalone failed pod is left with: nothing would recreate it, so the
// controller says why it is stuck instead of deleting it. Custom condition types on pods are
// legal (readiness gates use them) and the kubelet keeps conditions it does not own when it
// writes the status, so a condition is visible in `kubectl describe` and survives; it is written
// through the status subresource with a conditional update.
inline constexpr char kRecoverableCondition[] = "numalign.io/Recoverable";

struct RecoveryOptions {
  BackoffOptions backoff;
};

// Turns pods the kubelet or the agent gave up on into recoveries (see failure_classifier.h):
// an Event on every failed pod; a pod with a controller owner is deleted so the owner recreates
// it and the scheduler places it with current data, unless the owner's backoff is running; a
// standalone pod gets the condition above. Backoff state lives in memory: a new leader starts
// afresh, at worst one extra recovery per owner.
class PodRecoverer final : public Reconciler {
 public:
  PodRecoverer(std::shared_ptr<kube::ApiClient> client, std::shared_ptr<kube::Clock> clock,
               std::shared_ptr<kube::EventRecorder> events,
               std::shared_ptr<ControllerMetrics> metrics, RecoveryOptions options);
  std::string_view Name() const override { return "recovery"; }
  void ReconcileOnce() override;

  int Attempts(const std::string& owner_uid) const;

 private:
  void Recover(const kube::Json& pod, const PodFailure& failure);
  void MarkStandalone(const kube::Json& pod, const PodFailure& failure);
  void ResetHealthyOwners(const kube::Json& pods);

  std::shared_ptr<kube::ApiClient> client_;
  std::shared_ptr<kube::Clock> clock_;
  std::shared_ptr<kube::EventRecorder> events_;
  std::shared_ptr<ControllerMetrics> metrics_;
  RecoveryOptions options_;
  mutable std::mutex mu_;
  OwnerBackoff backoff_;
  // Pod uids already reported while their owner backs off: one Event per pod, not per pass.
  std::set<std::string> reported_;
};

}  // namespace numalign::controller
