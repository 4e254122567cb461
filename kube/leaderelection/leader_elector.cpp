#include "kube/leaderelection/leader_elector.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <thread>

#include "kube/rest/api_error.h"

namespace numalign::kube {

namespace {

// client-go's wait.JitterUntil factor for the acquire loop.
constexpr double kJitterFactor = 1.2;

int Seconds(std::chrono::milliseconds d) {
  return static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

template <typename Call>
void Guarded(const char* what, Call&& call) {
  try {
    call();
  } catch (const std::exception& e) {
    spdlog::error("leader election: {} callback failed: {}", what, e.what());
  }
}

}  // namespace

std::string DefaultLeaderIdentity() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "unknown");
  std::mt19937_64 random(std::random_device{}());
  return fmt::format("{}_{:016x}", host, random());
}

LeaderElector::LeaderElector(std::shared_ptr<LeaseLock> lock, LeaderElectionOptions options,
                             LeaderCallbacks callbacks, std::shared_ptr<Clock> clock)
    : lock_(std::move(lock)),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      clock_(std::move(clock)) {
  if (options_.identity.empty()) options_.identity = DefaultLeaderIdentity();
  if (options_.lease_duration <= options_.renew_deadline) {
    throw std::invalid_argument("leader election: lease duration must exceed the renew deadline");
  }
  if (options_.renew_deadline.count() <= kJitterFactor * options_.retry_period.count()) {
    throw std::invalid_argument(
        "leader election: renew deadline must exceed 1.2 times the retry period");
  }
  if (options_.retry_period.count() <= 0) {
    throw std::invalid_argument("leader election: retry period must be positive");
  }
  if (Seconds(options_.lease_duration) < 1) {
    throw std::invalid_argument("leader election: lease duration must be at least 1s");
  }
}

bool LeaderElector::IsLeader() const {
  std::lock_guard lock(mu_);
  return observed_ && observed_->holder_identity == options_.identity;
}

std::string LeaderElector::Leader() const {
  std::lock_guard lock(mu_);
  return observed_ ? observed_->holder_identity : "";
}

void LeaderElector::Observe(const LeaseRecord& record, Clock::TimePoint now) {
  std::string new_leader;
  {
    std::lock_guard lock(mu_);
    if (observed_ && *observed_ == record) return;
    if (!observed_ || observed_->holder_identity != record.holder_identity) {
      new_leader = record.holder_identity;
    }
    observed_ = record;
    observed_time_ = now;
  }
  if (!new_leader.empty() && callbacks_.on_new_leader) {
    Guarded("on_new_leader", [&] { callbacks_.on_new_leader(new_leader); });
  }
}

bool LeaderElector::TryAcquireOrRenew() {
  const Clock::TimePoint now = clock_->Now();
  LeaseRecord desired;
  desired.holder_identity = options_.identity;
  desired.lease_duration_seconds = Seconds(options_.lease_duration);
  desired.acquire_time = now;
  desired.renew_time = now;
  try {
    std::optional<LeaseRecord> current = lock_->Get();
    if (!current) {
      lock_->Create(desired);
      Observe(desired, now);
      return true;
    }
    Observe(*current, now);
    Clock::TimePoint observed_time;
    {
      std::lock_guard lock(mu_);
      observed_time = observed_time_;
    }
    const bool held_by_other =
        !current->holder_identity.empty() && current->holder_identity != options_.identity;
    const auto expiry = observed_time + std::chrono::seconds(current->lease_duration_seconds);
    if (held_by_other && now < expiry) return false;  // a live leader holds it

    if (current->holder_identity == options_.identity) {
      desired.acquire_time = current->acquire_time;
      desired.lease_transitions = current->lease_transitions;
    } else {
      desired.lease_transitions = current->lease_transitions + 1;
    }
    lock_->Update(desired);
    Observe(desired, now);
    return true;
  } catch (const std::exception& e) {
    spdlog::info("leader election: lease {}: {}", lock_->Describe(), e.what());
    return false;
  }
}

bool LeaderElector::Release() {
  if (!IsLeader()) return false;
  const Clock::TimePoint now = clock_->Now();
  LeaseRecord released;
  released.lease_duration_seconds = 1;
  released.acquire_time = now;
  released.renew_time = now;
  {
    std::lock_guard lock(mu_);
    released.lease_transitions = observed_->lease_transitions;
  }
  try {
    lock_->Update(released);
    Observe(released, now);
    return true;
  } catch (const std::exception& e) {
    spdlog::warn("leader election: releasing lease {} failed: {}", lock_->Describe(), e.what());
    return false;
  }
}

void LeaderElector::Run(std::stop_token stop) {
  std::uniform_real_distribution<double> jitter(0.0, kJitterFactor);
  // Campaign.
  while (!stop.stop_requested()) {
    if (TryAcquireOrRenew()) break;
    const auto wait = std::chrono::duration_cast<Clock::Duration>(options_.retry_period *
                                                                  (1.0 + jitter(random_)));
    if (!clock_->SleepFor(wait, stop)) return;
  }
  if (stop.stop_requested()) return;
  spdlog::info("leader election: {} acquired lease {}", options_.identity, lock_->Describe());

  std::jthread work;
  if (callbacks_.on_started_leading) {
    work = std::jthread([this](std::stop_token work_stop) {
      Guarded("on_started_leading", [&] { callbacks_.on_started_leading(work_stop); });
    });
  }
  // Renew every retry period; a cycle that cannot renew within the renew deadline loses.
  bool lost = false;
  while (!stop.stop_requested() && !lost) {
    if (!clock_->SleepFor(options_.retry_period, stop)) break;
    const Clock::TimePoint cycle_start = clock_->Now();
    while (!TryAcquireOrRenew()) {
      if (clock_->Now() - cycle_start >= options_.renew_deadline || !IsLeader()) {
        lost = true;
        break;
      }
      if (!clock_->SleepFor(options_.retry_period, stop)) break;
    }
  }
  if (lost) {
    spdlog::warn("leader election: {} lost lease {}", options_.identity, lock_->Describe());
  }
  if (work.joinable()) {
    work.request_stop();
    work.join();
  }
  if (!lost && options_.release_on_cancel) Release();
  if (callbacks_.on_stopped_leading) {
    Guarded("on_stopped_leading", [&] { callbacks_.on_stopped_leading(); });
  }
}

}  // namespace numalign::kube
