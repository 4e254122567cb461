#pragma once

#include <atomic>

namespace numalign::metrics {

// A monotonically increasing value (Prometheus "counter"). Lock-free so hot request paths
// can count without contention.
class Counter {
 public:
  void inc(double amount = 1.0) {
    if (amount < 0) return;  // counters never go down; a negative amount is a caller bug
    value_.fetch_add(amount, std::memory_order_relaxed);
  }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

}  // namespace numalign::metrics
