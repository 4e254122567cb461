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
    to_call = listeners_.Copy();
  }
  ListenerSet::Notify(to_call, generation);
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
  return listeners_.Add(std::move(listener));
}

void NodeStateHub::Unsubscribe(ListenerId id) {
  std::lock_guard lock(mutex_);
  listeners_.Remove(id);
}

}  // namespace numalign::agent
