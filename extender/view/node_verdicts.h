#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

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

// Verdicts already computed on one immutable NodeState, by pod shape (the pod's NUMA requests,
// container names and policy, plus the decider's options: see ShapeKey in the decider). A node
// state never changes, so its verdicts never go stale; a rebuilt node starts empty. The
// scheduler's pods mostly come in replicas of few shapes, so between two changes of a node the
// admission for a shape runs once instead of once per pod. Thread-safe.
class NodeVerdicts {
 public:
  // Bounded: a node seeing many shapes between two changes forgets all and starts again.
  static constexpr std::size_t kMaxShapes = 32;

  std::optional<CachedVerdict> Find(const std::string& shape) const {
    std::lock_guard lock(mutex_);
    auto it = by_shape_.find(shape);
    if (it == by_shape_.end()) return std::nullopt;
    return it->second;
  }

  void Store(const std::string& shape, const CachedVerdict& verdict) {
    std::lock_guard lock(mutex_);
    if (by_shape_.size() >= kMaxShapes) by_shape_.clear();
    by_shape_.insert_or_assign(shape, verdict);
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return by_shape_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, CachedVerdict> by_shape_;
};

}  // namespace numalign::extender
