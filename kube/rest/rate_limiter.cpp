#include "kube/rest/rate_limiter.h"

#include <algorithm>

namespace numalign::kube {

TokenBucketRateLimiter::TokenBucketRateLimiter(double qps, int burst, std::shared_ptr<Clock> clock)
    : qps_(qps),
      burst_(std::max(burst, 1)),
      clock_(std::move(clock)),
      tokens_(burst_),
      last_(clock_->Now()) {}

void TokenBucketRateLimiter::Refill(Clock::TimePoint now) {
  if (now <= last_) return;
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min<double>(burst_, tokens_ + elapsed * qps_);
  last_ = now;
}

Clock::TimePoint TokenBucketRateLimiter::Reserve() {
  std::lock_guard lock(mu_);
  const auto now = clock_->Now();
  Refill(now);
  // Tokens may go negative: each waiter reserves its slot in line, as golang.org/x/time/rate.
  tokens_ -= 1.0;
  if (tokens_ >= 0) return now;
  const auto wait = std::chrono::duration<double>(-tokens_ / qps_);
  return now + std::chrono::duration_cast<Clock::Duration>(wait);
}

bool TokenBucketRateLimiter::Wait(std::stop_token stop) {
  if (qps_ <= 0) return !stop.stop_requested();
  const auto when = Reserve();
  if (when <= clock_->Now()) return !stop.stop_requested();
  if (clock_->SleepUntil(when, stop)) return true;
  // Give the reservation back: the caller will not send.
  std::lock_guard lock(mu_);
  tokens_ = std::min<double>(burst_, tokens_ + 1.0);
  return false;
}

bool TokenBucketRateLimiter::TryAccept() {
  if (qps_ <= 0) return true;
  std::lock_guard lock(mu_);
  Refill(clock_->Now());
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

}  // namespace numalign::kube
