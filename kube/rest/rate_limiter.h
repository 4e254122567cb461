#pragma once

#include <memory>
#include <mutex>
#include <stop_token>

#include "kube/clock/clock.h"

namespace numalign::kube {

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Blocks until a token is available. Returns false if `stop` was requested first.
  virtual bool Wait(std::stop_token stop = {}) = 0;
  // Takes a token if one is available now.
  virtual bool TryAccept() = 0;
};

// client-go's flowcontrol token bucket: `qps` tokens per second refill a bucket of `burst`
// tokens, and it starts full. qps <= 0 disables limiting.
class TokenBucketRateLimiter final : public RateLimiter {
 public:
  TokenBucketRateLimiter(double qps, int burst, std::shared_ptr<Clock> clock = SystemClock());

  bool Wait(std::stop_token stop = {}) override;
  bool TryAccept() override;
  double qps() const { return qps_; }
  int burst() const { return burst_; }

 private:
  // Reserves a token and returns when it may be used (now, or in the future).
  Clock::TimePoint Reserve();
  void Refill(Clock::TimePoint now);

  const double qps_;
  const int burst_;
  std::shared_ptr<Clock> clock_;
  std::mutex mu_;
  double tokens_;
  Clock::TimePoint last_;
};

}  // namespace numalign::kube
