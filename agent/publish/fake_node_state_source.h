#pragma once

#include <functional>
#include <map>
#include <mutex>

#include "agent/allocation/node_state_source.h"

namespace numalign::agent::publish {

// A NodeStateSource whose state the test sets; listeners run on the setting thread, as with
// the allocation engine.
class FakeNodeStateSource : public NodeStateSource {
 public:
  explicit FakeNodeStateSource(NodeStateSnapshot s) : snapshot_(std::move(s)) {}

  // Bumps the generation (like a committed change) and tells the listeners.
  void Change(const std::function<void(NodeStateSnapshot&)>& edit) {
    std::map<ListenerId, Listener> listeners;
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mutex_);
      edit(snapshot_);
      generation = ++snapshot_.generation;
      listeners = listeners_;
    }
    for (auto& [id, listener] : listeners) listener(generation);
  }

  NodeStateSnapshot Snapshot() const override {
    std::lock_guard lock(mutex_);
    return snapshot_;
  }
  std::uint64_t Generation() const override {
    std::lock_guard lock(mutex_);
    return snapshot_.generation;
  }
  ListenerId Subscribe(Listener listener) override {
    std::lock_guard lock(mutex_);
    listeners_[next_] = std::move(listener);
    return next_++;
  }
  void Unsubscribe(ListenerId id) override {
    std::lock_guard lock(mutex_);
    listeners_.erase(id);
  }

 private:
  mutable std::mutex mutex_;
  NodeStateSnapshot snapshot_;
  std::map<ListenerId, Listener> listeners_;
  ListenerId next_ = 1;
};

}  // namespace numalign::agent::publish
