#include "controller/controller_loop.h"

#include "common/logging/log.h"

namespace numalign::controller {

ControllerLoop::ControllerLoop(std::vector<std::shared_ptr<Reconciler>> reconcilers,
                               std::shared_ptr<kube::Clock> clock,
                               std::chrono::milliseconds sync_period)
    : reconcilers_(std::move(reconcilers)), clock_(std::move(clock)), sync_period_(sync_period) {}

void ControllerLoop::RunOnce() {
  for (const auto& reconciler : reconcilers_) {
    try {
      reconciler->ReconcileOnce();
    } catch (const std::exception& e) {
      logging::warning("Reconcile pass failed; retrying next sync",
                       {{"reconciler", std::string(reconciler->Name())}, {"error", e.what()}});
    }
  }
  ++passes_;
  last_progress_ = clock_->Now();
}

std::string ControllerLoop::StallReason(std::chrono::milliseconds grace) const {
  if (!running_) return "";
  const auto age = clock_->Now() - last_progress_.load();
  if (age <= grace) return "";
  return "reconciliation loop made no progress for " +
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(age).count()) + "s";
}

void ControllerLoop::Run(std::stop_token stop) {
  last_progress_ = clock_->Now();
  running_ = true;
  struct NotRunning {
    std::atomic<bool>& running;
    ~NotRunning() { running = false; }
  } not_running{running_};
  while (!stop.stop_requested()) {
    RunOnce();
    if (!clock_->SleepFor(sync_period_, stop)) break;
  }
}

}  // namespace numalign::controller
