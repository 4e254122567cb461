#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "agent/allocation/node_state_source.h"

namespace numalign::agent {

// The subscriber list every NodeStateSource keeps. Not synchronized itself: the owner guards it
// with the same mutex as its snapshot, copies the listeners under that lock (Copy) and calls them
// after releasing it (Notify), so a listener may call Snapshot() without deadlocking.
class ListenerSet {
 public:
  NodeStateSource::ListenerId Add(NodeStateSource::Listener listener) {
    const NodeStateSource::ListenerId id = next_id_++;
    listeners_[id] = std::move(listener);
    return id;
  }
  void Remove(NodeStateSource::ListenerId id) { listeners_.erase(id); }

  std::vector<NodeStateSource::Listener> Copy() const {
    std::vector<NodeStateSource::Listener> out;
    out.reserve(listeners_.size());
    for (const auto& [id, listener] : listeners_) out.push_back(listener);
    return out;
  }
  static void Notify(const std::vector<NodeStateSource::Listener>& listeners,
                     std::uint64_t generation) {
    for (const auto& listener : listeners) listener(generation);
  }

 private:
  std::map<NodeStateSource::ListenerId, NodeStateSource::Listener> listeners_;
  NodeStateSource::ListenerId next_id_ = 1;
};

}  // namespace numalign::agent
