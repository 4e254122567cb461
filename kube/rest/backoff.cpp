#include "kube/rest/backoff.h"

#include <algorithm>
#include <cmath>

namespace numalign::kube {

Backoff::Backoff(BackoffOptions options, std::uint64_t seed) : options_(options), random_(seed) {}

std::chrono::milliseconds Backoff::Next() {
  const double initial = static_cast<double>(options_.initial.count());
  const double max = static_cast<double>(options_.max.count());
  // Cap the exponent so the power never overflows on a long outage.
  const double base = std::min(max, initial * std::pow(options_.factor, std::min(attempt_, 64)));
  ++attempt_;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double stretched = base * (1.0 + options_.jitter * unit(random_));
  return std::chrono::milliseconds(static_cast<std::int64_t>(stretched));
}

}  // namespace numalign::kube
