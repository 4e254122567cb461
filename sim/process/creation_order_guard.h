#pragma once

#include <string>
#include <vector>

namespace numalign::sim::process {

// numalign-extender rebuilds a node's NUMA state by replaying its pods in (creationTimestamp,
// uid) order (extender/view/node_view.h), while the agent admitted them in the order they were
// bound. The API server stamps creation times at second resolution and assigns random uids, so
// two pods created within one second replay in random order, and the extender's view of a node
// can differ from the agent's (and from the in-process mode, whose uids follow creation order).
// The process mode therefore keeps uid order equal to creation order within each second: a new
// pod whose uid sorts before one created earlier in the same second is created again (it is not
// scheduled yet, so no component has acted on it).
class CreationOrderGuard {
 public:
  // True when a pod created at `timestamp` (RFC 3339, as the API server wrote it) with `uid`
  // replays after every pod recorded so far.
  bool InOrder(const std::string& timestamp, const std::string& uid) const;
  void Record(const std::string& timestamp, const std::string& uid);

 private:
  std::string second_;             // the latest creation second seen
  std::vector<std::string> uids_;  // uids created in that second
};

}  // namespace numalign::sim::process
