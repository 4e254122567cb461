#pragma once

#include <cstdint>
#include <random>

namespace numalign::sim {

// Draws from std::mt19937_64 (whose output sequence the standard fixes) through distributions
// written out here: the standard library's distributions are implementation-defined, so the
// same seed would give other workloads with another libstdc++ or libc++.
class SimRandom {
 public:
  explicit SimRandom(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1), 53 random bits.
  double Uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n) by rejection (no modulo bias); n > 0.
  std::uint64_t Below(std::uint64_t n);
  // Uniform integer in [lo, hi].
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  // Exponential with the given mean (inverse transform).
  double Exponential(double mean);
  bool Bernoulli(double p) { return Uniform01() < p; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace numalign::sim
