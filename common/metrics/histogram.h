#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace numalign::metrics {

// Cumulative-bucket histogram (Prometheus "histogram"). Bucket bounds are fixed at creation;
// observe() is lock-free (one relaxed increment per call) so it can sit on the request path.
class Histogram {
 public:
  // `upper_bounds` must be strictly increasing; +Inf is implicit.
  explicit Histogram(std::vector<double> upper_bounds);

  void observe(double value);

  struct Snapshot {
    std::vector<double> upper_bounds;
    std::vector<std::uint64_t> cumulative_counts;  // one per bound, then the +Inf bucket
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;

  const std::vector<double>& upper_bounds() const { return upper_bounds_; }

 private:
  std::vector<double> upper_bounds_;
  // Per-bucket (non-cumulative) counts, the last one for +Inf; made cumulative at scrape time
  // so observe() touches a single bucket.
  std::unique_ptr<std::atomic<std::uint64_t>[]> bucket_counts_;
  std::atomic<double> sum_{0.0};
};

// `count` bounds: start, start*factor, start*factor^2, ...
std::vector<double> exponential_buckets(double start, double factor, int count);
// `count` bounds: start, start+width, ...
std::vector<double> linear_buckets(double start, double width, int count);

}  // namespace numalign::metrics
