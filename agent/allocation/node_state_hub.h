#pragma once

#include <cstdint>
#include <map>
#include <mutex>

#include "agent/allocation/listener_set.h"
#include "agent/allocation/node_state_source.h"

namespace numalign::agent {

// A NodeStateSource that holds the latest snapshot a producer handed it. The allocation engine
// publishes into it after each commit; tests and the kubelet-mode reader can use it directly.
class NodeStateHub : public NodeStateSource {
 public:
  // Replaces the snapshot. Its generation is forced above the previous one (a producer that
  // restarts from 0 still yields an increasing sequence), then listeners are told.
  void Publish(NodeStateSnapshot snapshot);

  NodeStateSnapshot Snapshot() const override;
  std::uint64_t Generation() const override;
  ListenerId Subscribe(Listener listener) override;
  void Unsubscribe(ListenerId id) override;

 private:
  mutable std::mutex mutex_;
  NodeStateSnapshot snapshot_;
  ListenerSet listeners_;
};

}  // namespace numalign::agent
