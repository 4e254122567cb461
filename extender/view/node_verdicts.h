#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace numalign::extender {

// A node's filter verdict for a pod.
enum class NodeFit { kFits, kFailed, kUnresolvable };

// What filter and prioritize need of one pod on one node, once computed.
struct CachedVerdict {
  NodeFit fit = NodeFit::kFits;
  std::string reason;      // the kubelet's words when not kFits
  bool managed = false;    // false: judged by --unmanaged-nodes, not by admission
  std::int64_t score = 0;  // extender score 0..10 when fits and managed
};

// Verdicts already computed on one immutable NodeState, by shape id (extender/decider/shape_ids.h).
// A node state never changes, so its verdicts never go stale; a rebuilt node starts empty. The
// scheduler's pods mostly come in replicas of few shapes, so between two changes of a node the
// admission for a shape runs once instead of once per pod.
//
// Filter reads the memo of every candidate node (thousands per call) and writes it only on a
// miss, so reads take no lock and no reference count: slots are filled once, in order, and
// published by the release store of `count_`; a verdict lives as long as its node state, which
// the caller holds. Bounded: a node seeing more shapes than slots between two changes stops
// memoizing new ones until it changes. Thread-safe.
class NodeVerdicts {
 public:
  static constexpr std::size_t kMaxShapes = 32;

  // The verdict stored for the shape, or null.
  const CachedVerdict* Find(std::uint64_t shape) const {
    const std::size_t filled = count_.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < filled; ++i) {
      if (slots_[i].shape == shape) return slots_[i].verdict.get();
    }
    return nullptr;
  }

  // Stores the verdict unless the shape already has one (a concurrent evaluation of the same
  // shape), and returns the one stored; null when every slot is taken.
  const CachedVerdict* Store(std::uint64_t shape, CachedVerdict verdict) {
    std::lock_guard lock(write_mutex_);
    const std::size_t filled = count_.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < filled; ++i) {
      if (slots_[i].shape == shape) return slots_[i].verdict.get();
    }
    if (filled == kMaxShapes) return nullptr;
    slots_[filled].shape = shape;
    slots_[filled].verdict = std::make_unique<const CachedVerdict>(std::move(verdict));
    count_.store(filled + 1, std::memory_order_release);
    return slots_[filled].verdict.get();
  }

  std::size_t size() const { return count_.load(std::memory_order_acquire); }

 private:
  struct Slot {
    std::uint64_t shape = 0;
    std::unique_ptr<const CachedVerdict> verdict;
  };
  std::array<Slot, kMaxShapes> slots_;
  std::atomic<std::size_t> count_ = 0;
  std::mutex write_mutex_;
};

}  // namespace numalign::extender
