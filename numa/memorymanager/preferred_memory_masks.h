#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "numa/memorymanager/machine_state.h"
#include "numa/pod/pod_requests.h"
#include "numa/topologymanager/bitmask.h"

namespace numalign::numa {

// The preferred hints of the Static policy's calculateHints without its list of every mask, for
// a request with no reusable init-container memory: exactly the masks of size() nodes (the fewest
// whose allocatable memory covers every requested type) that pass the group rules and whose free
// memory covers the request. The admission fast path merges these with the CPU manager's and
// falls back to the full lists when that fails. Holds a reference to `state`: use it at once.
class PreferredMemoryMasks {
 public:
  // nullopt when no mask's allocatable memory covers the request (then there are no hints), or
  // the request has more types than the fast path keeps.
  static std::optional<PreferredMemoryMasks> Find(const MemoryMachineState& state,
                                                  const MemoryRequest& request);

  int size() const { return size_; }
  NumaMask universe() const { return universe_; }  // every node of the machine state
  // True when `mask` (of size() nodes) is a preferred hint.
  bool Offers(NumaMask mask) const;

 private:
  struct Wanted {
    int resource = -1;  // index into the state's tables; -1: the machine has no such type
    std::uint64_t bytes = 0;
  };
  static constexpr std::size_t kMaxTypes = 8;

  bool CoveredByAllocatable(NumaMask mask) const;

  const MemoryMachineState* state_ = nullptr;
  int size_ = 0;
  NumaMask universe_;
  std::array<Wanted, kMaxTypes> wanted_{};
  std::size_t types_ = 0;
};

}  // namespace numalign::numa
