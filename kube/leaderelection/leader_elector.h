#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stop_token>
#include <string>

#include "kube/clock/clock.h"
#include "kube/leaderelection/lease_lock.h"

namespace numalign::kube {

// The knobs, named after kube-scheduler's and kube-controller-manager's flags.
struct LeaderElectionOptions {
  bool leader_elect = true;                                             // --leader-elect
  std::chrono::milliseconds lease_duration = std::chrono::seconds(15);  // ...-lease-duration
  std::chrono::milliseconds renew_deadline = std::chrono::seconds(10);  // ...-renew-deadline
  std::chrono::milliseconds retry_period = std::chrono::seconds(2);     // ...-retry-period
  std::string resource_name;                                            // ...-resource-name
  std::string resource_namespace = "kube-system";                       // ...-resource-namespace
  // Unique per candidate; empty: "<hostname>_<random>".
  std::string identity;
  // On a clean stop while leading, hand the lease over at once instead of letting it expire.
  bool release_on_cancel = true;
};

struct LeaderCallbacks {
  // Runs on its own thread once the lease is acquired; must return soon after `stop` is
  // requested (leadership lost or shutdown).
  std::function<void(std::stop_token stop)> on_started_leading;
  // Called after the leading work has returned, when leadership ends for any reason.
  std::function<void()> on_stopped_leading;
  // Whenever the observed holder changes (including to ourselves).
  std::function<void(const std::string& identity)> on_new_leader;
};

// client-go's LeaderElector on a Lease. A candidate takes the lease when its holder has not
// renewed it for leaseDurationSeconds, measured on the local clock from when this candidate
// last saw the record change (so clocks of different machines never need to agree). The leader
// renews every retry period and gives up leadership if it cannot renew within the renew
// deadline; lease_duration > renew_deadline > 1.2 * retry_period keeps two leaders apart.
class LeaderElector {
 public:
  // Throws std::invalid_argument for inconsistent durations or an empty identity.
  LeaderElector(std::shared_ptr<LeaseLock> lock, LeaderElectionOptions options,
                LeaderCallbacks callbacks, std::shared_ptr<Clock> clock = SystemClock());

  // Campaigns until leader, leads until leadership is lost or `stop` is requested, then returns
  // (after releasing the lease if asked to). As in client-go, a process usually exits when Run
  // returns because leadership was lost.
  void Run(std::stop_token stop);

  // One attempt to acquire or renew; true when we hold the lease afterwards. Never throws.
  bool TryAcquireOrRenew();
  // Gives the lease up (holder cleared, 1 s duration). True when the release was written.
  bool Release();

  bool IsLeader() const;
  std::string Leader() const;
  const std::string& identity() const { return options_.identity; }

 private:
  void Observe(const LeaseRecord& record, Clock::TimePoint now);

  std::shared_ptr<LeaseLock> lock_;
  LeaderElectionOptions options_;
  LeaderCallbacks callbacks_;
  std::shared_ptr<Clock> clock_;
  mutable std::mutex mu_;
  std::optional<LeaseRecord> observed_;
  Clock::TimePoint observed_time_{};
  std::mt19937_64 random_{std::random_device{}()};
};

// "<hostname>_<random hex>", unique per process.
std::string DefaultLeaderIdentity();

}  // namespace numalign::kube
