#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace numalign::extender {

// Numbers pod shapes (the pod's NUMA requests, container names and policy, plus the decider's
// options: see NumaDecider::ShapeKey), so the verdict memo of each of thousands of candidate
// nodes compares one integer instead of hashing a long key. Ids are never reused: when the table
// is full it forgets every key and the numbering goes on, so a memo entry under a forgotten id
// simply never matches again. Numbering is process-wide, not per table: deciders with different
// options (strategies, weights) may share one NodeView and its memos, and must never read each
// other's verdicts. Thread-safe.
class ShapeIds {
 public:
  static constexpr std::size_t kMaxShapes = 4096;

  std::uint64_t IdOf(const std::string& shape_key) {
    std::lock_guard lock(mutex_);
    if (auto it = ids_.find(shape_key); it != ids_.end()) return it->second;
    if (ids_.size() >= kMaxShapes) ids_.clear();
    return ids_.emplace(shape_key, next_id_.fetch_add(1, std::memory_order_relaxed)).first->second;
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return ids_.size();
  }

 private:
  mutable std::mutex mutex_;
  static inline std::atomic<std::uint64_t> next_id_ = 1;
  std::unordered_map<std::string, std::uint64_t> ids_;
};

}  // namespace numalign::extender
