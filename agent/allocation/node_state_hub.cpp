#include "agent/allocation/node_state_hub.h"

#include <vector>

namespace numalign::agent {

void NodeStateHub::Publish(NodeStateSnapshot snapshot) {
  std::vector<Listener> to_call;
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    if (snapshot.generation <= snapshot_.generation) snapshot.generation = snapshot_.generation + 1;
    snapshot_ = std::move(snapshot);
    generation = snapshot_.generation;
    for (const auto& [id, listener] : listeners_) to_call.push_back(listener);
  }
  // Outside the lock: a listener may call Snapshot().
  for (const auto& listener : to_call) listener(generation);
}

NodeStateSnapshot NodeStateHub::Snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

std::uint64_t NodeStateHub::Generation() const {
  std::lock_guard lock(mutex_);
  return snapshot_.generation;
}

NodeStateSource::ListenerId NodeStateHub::Subscribe(Listener listener) {
  std::lock_guard lock(mutex_);
  const ListenerId id = next_id_++;
  listeners_[id] = std::move(listener);
  return id;
}

void NodeStateHub::Unsubscribe(ListenerId id) {
  std::lock_guard lock(mutex_);
  listeners_.erase(id);
}

}  // namespace numalign::agent
