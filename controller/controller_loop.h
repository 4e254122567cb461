#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "controller/reconciler.h"
#include "kube/clock/clock.h"

namespace numalign::controller {

// Runs every reconciler once per sync period until stopped: what the leader does while it
// leads. A failing reconciler is logged and retried next period; it never stops the others.
class ControllerLoop {
 public:
  ControllerLoop(std::vector<std::shared_ptr<Reconciler>> reconcilers,
                 std::shared_ptr<kube::Clock> clock, std::chrono::milliseconds sync_period);
  void Run(std::stop_token stop);
  // One pass over all reconcilers (the loop's body; tests call it directly).
  void RunOnce();
  // Passes completed since start; readiness means at least one completed while leading.
  std::uint64_t passes() const { return passes_.load(); }
  // Liveness: empty while Run is not active or its last pass (or its start) is younger than
  // `grace`; otherwise why the loop looks wedged (a reconciler stuck in a call that never
  // returns), so the kubelet restarts the process and the lease moves on.
  std::string StallReason(std::chrono::milliseconds grace) const;

 private:
  std::vector<std::shared_ptr<Reconciler>> reconcilers_;
  std::shared_ptr<kube::Clock> clock_;
  std::chrono::milliseconds sync_period_;
  std::atomic<std::uint64_t> passes_{0};
  std::atomic<bool> running_{false};
  std::atomic<kube::Clock::TimePoint> last_progress_{};
};

}  // namespace numalign::controller
