#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stop_token>
#include <vector>

namespace numalign::kube {

// Everything time-based in kube/ (rate limits, backoff, leases, resync, event series) reads time
// and sleeps through this interface so tests can drive it with FakeClock. It is wall-clock time
// because leases and events carry wall-clock timestamps.
class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  using Duration = std::chrono::system_clock::duration;

  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Blocks until Now() >= deadline or `stop` is requested. Returns false when stopped.
  virtual bool SleepUntil(TimePoint deadline, std::stop_token stop) = 0;

  bool SleepFor(Duration d, std::stop_token stop) { return SleepUntil(Now() + d, stop); }
};

class RealClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  bool SleepUntil(TimePoint deadline, std::stop_token stop) override;
};

// The process-wide real clock, for callers that do not inject one.
std::shared_ptr<Clock> SystemClock();

// Time moves only when a test calls Advance(); sleepers wake when their deadline is reached.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint{} + std::chrono::hours(24 * 365 * 56));

  TimePoint Now() const override;
  bool SleepUntil(TimePoint deadline, std::stop_token stop) override;

  void Advance(Duration d);
  void Set(TimePoint t);
  // In auto-advance mode a sleep moves time to its deadline at once, so single-threaded code
  // that sleeps (retries, backoff) runs without a helper thread; the sleeps are recorded.
  void SetAutoAdvance(bool on);
  std::vector<Duration> sleeps() const;
  // Threads currently blocked in SleepUntil.
  int Sleepers() const;
  // Waits (in real time, up to `timeout`) until at least `n` threads sleep; lets a test know a
  // background loop has reached its next wait before it advances time.
  bool WaitForSleepers(int n, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;
  // Sleeps begun so far (not in auto-advance mode), and a wait for the n-th to begin: lets a
  // test step a loop one sleep at a time without racing the sleeper's wake-up.
  std::uint64_t sleep_calls() const;
  bool WaitForSleepCalls(std::uint64_t n,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable_any changed_;
  TimePoint now_;
  int sleepers_ = 0;
  std::uint64_t sleep_calls_ = 0;
  bool auto_advance_ = false;
  std::vector<Duration> sleeps_;
};

}  // namespace numalign::kube
