#pragma once

#include <cstdint>
#include <functional>

#include "agent/allocation/node_state.h"

namespace numalign::agent {

// The seam between whoever owns the node's NUMA accounting (the allocation engine in mode
// `agent`; a podresources reader in mode `kubelet`) and whoever reports it (NRT publication,
// metrics). Implementations are thread-safe: Snapshot may be called from any thread.
class NodeStateSource {
 public:
  using Listener = std::function<void(std::uint64_t generation)>;
  using ListenerId = std::uint64_t;

  virtual ~NodeStateSource() = default;

  // A consistent copy of the current state.
  virtual NodeStateSnapshot Snapshot() const = 0;

  // The generation Snapshot() would report now; cheap, for "did anything change?" checks.
  virtual std::uint64_t Generation() const = 0;

  // `listener` is called after every committed change with the new generation. It runs on the
  // thread that made the change while no internal lock is held, so it may call Snapshot(); it
  // must be quick (e.g. wake a publisher that coalesces bursts), never block on I/O. Several
  // changes may be reported by one call (generations can skip).
  virtual ListenerId Subscribe(Listener listener) = 0;
  virtual void Unsubscribe(ListenerId id) = 0;
};

}  // namespace numalign::agent
