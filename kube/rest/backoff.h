#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace numalign::kube {

struct BackoffOptions {
  std::chrono::milliseconds initial = std::chrono::milliseconds(200);
  std::chrono::milliseconds max = std::chrono::seconds(30);
  double factor = 2.0;
  // Each delay is stretched by a random fraction in [0, jitter) so clients that failed together
  // do not retry together.
  double jitter = 0.2;
};

// Exponential backoff with jitter. The n-th delay (from 0) is
// min(initial * factor^n, max) * (1 + U[0, jitter)).
class Backoff {
 public:
  explicit Backoff(BackoffOptions options = {}, std::uint64_t seed = std::random_device{}());

  std::chrono::milliseconds Next();
  void Reset() { attempt_ = 0; }
  int attempts() const { return attempt_; }
  const BackoffOptions& options() const { return options_; }

 private:
  BackoffOptions options_;
  int attempt_ = 0;
  std::mt19937_64 random_;
};

}  // namespace numalign::kube
