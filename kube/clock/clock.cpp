#include "kube/clock/clock.h"

namespace numalign::kube {

bool RealClock::SleepUntil(TimePoint deadline, std::stop_token stop) {
  // Convert to the steady clock so a wall-clock jump does not stretch or cut a sleep.
  const auto remaining = deadline - std::chrono::system_clock::now();
  const auto steady_deadline = std::chrono::steady_clock::now() + remaining;
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait_until(lock, stop, steady_deadline, [] { return false; });
  return !stop.stop_requested();
}

std::shared_ptr<Clock> SystemClock() {
  static const auto clock = std::make_shared<RealClock>();
  return clock;
}

FakeClock::FakeClock(TimePoint start) : now_(start) {}

Clock::TimePoint FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

bool FakeClock::SleepUntil(TimePoint deadline, std::stop_token stop) {
  std::unique_lock lock(mu_);
  if (auto_advance_) {
    if (stop.stop_requested()) return false;
    sleeps_.push_back(deadline - now_);
    if (deadline > now_) now_ = deadline;
    changed_.notify_all();
    return true;
  }
  ++sleepers_;
  ++sleep_calls_;
  changed_.notify_all();
  const bool reached = changed_.wait(lock, stop, [&] { return now_ >= deadline; });
  --sleepers_;
  changed_.notify_all();
  return reached && !stop.stop_requested();
}

void FakeClock::Advance(Duration d) {
  std::lock_guard lock(mu_);
  now_ += d;
  changed_.notify_all();
}

void FakeClock::Set(TimePoint t) {
  std::lock_guard lock(mu_);
  now_ = t;
  changed_.notify_all();
}

void FakeClock::SetAutoAdvance(bool on) {
  std::lock_guard lock(mu_);
  auto_advance_ = on;
}

std::vector<Clock::Duration> FakeClock::sleeps() const {
  std::lock_guard lock(mu_);
  return sleeps_;
}

std::uint64_t FakeClock::sleep_calls() const {
  std::lock_guard lock(mu_);
  return sleep_calls_;
}

bool FakeClock::WaitForSleepCalls(std::uint64_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return sleep_calls_ >= n; });
}

int FakeClock::Sleepers() const {
  std::lock_guard lock(mu_);
  return sleepers_;
}

bool FakeClock::WaitForSleepers(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return sleepers_ >= n; });
}

}  // namespace numalign::kube
