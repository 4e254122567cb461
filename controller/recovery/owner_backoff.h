#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "kube/clock/clock.h"

namespace numalign::controller {

struct BackoffOptions {
  std::chrono::milliseconds base = std::chrono::seconds(10);  // --recovery-backoff-base
  std::chrono::milliseconds max = std::chrono::minutes(10);   // --recovery-backoff-max
};

// Exponential backoff of recoveries per owning controller (by owner uid): the n-th recovery in
// a row opens the next one base * 2^(n-1) later, capped at max. A workload that can never fit
// therefore costs at most one recreation per `max`, not a tight delete/recreate loop (#84869).
// Reset() when the owner shows a healthy pod again.
class OwnerBackoff {
 public:
  explicit OwnerBackoff(BackoffOptions options) : options_(options) {}

  bool Allowed(const std::string& owner, kube::Clock::TimePoint now) const;
  // Records a recovery at `now`; returns the wait before the next one is allowed.
  std::chrono::milliseconds RecordRecovery(const std::string& owner, kube::Clock::TimePoint now);
  void Reset(const std::string& owner);
  // Recoveries in a row, 0 for an unknown owner.
  int Attempts(const std::string& owner) const;
  std::optional<kube::Clock::TimePoint> LastRecovery(const std::string& owner) const;
  kube::Clock::TimePoint NextAllowed(const std::string& owner) const;
  // Forgets owners whose last recovery is older than twice the cap (bounded memory).
  void Forget(kube::Clock::TimePoint now);

 private:
  struct State {
    int attempts = 0;
    kube::Clock::TimePoint last{};
    kube::Clock::TimePoint next_allowed{};
  };
  BackoffOptions options_;
  std::map<std::string, State> owners_;
};

}  // namespace numalign::controller
