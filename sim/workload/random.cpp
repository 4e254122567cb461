#include "sim/workload/random.h"

#include <cmath>
#include <limits>

namespace numalign::sim {

std::uint64_t SimRandom::Below(std::uint64_t n) {
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t limit = max - (max % n);  // draws at or above this would bias the modulo
  std::uint64_t x;
  do {
    x = engine_();
  } while (x >= limit && limit != 0);
  return x % n;
}

double SimRandom::Exponential(double mean) {
  // 1 - u is in (0, 1], so the logarithm is finite.
  return -std::log(1.0 - Uniform01()) * mean;
}

}  // namespace numalign::sim
