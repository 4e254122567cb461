#include "sim/placement/latency_summary.h"

#include <algorithm>
#include <cmath>

namespace numalign::sim {

LatencySummary SummarizeLatencies(std::vector<double> samples) {
  LatencySummary out;
  if (samples.empty()) return out;
  std::sort(samples.begin(), samples.end());
  auto rank = [&](double p) {
    const auto n = static_cast<double>(samples.size());
    std::size_t index = static_cast<std::size_t>(std::ceil(p * n));
    return samples[std::min(samples.size() - 1, index == 0 ? 0 : index - 1)];
  };
  out.count = static_cast<std::int64_t>(samples.size());
  out.p50_us = rank(0.50);
  out.p90_us = rank(0.90);
  out.p99_us = rank(0.99);
  out.max_us = samples.back();
  double sum = 0;
  for (double s : samples) sum += s;
  out.mean_us = sum / static_cast<double>(samples.size());
  return out;
}

}  // namespace numalign::sim
