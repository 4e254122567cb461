#pragma once

#include <chrono>
#include <string>

#include "kube/clock/clock.h"
#include "kube/objects/node_resource_topology.h"

namespace numalign::controller {

enum class StaleAction { kNone, kMark, kClear };

struct StalenessDecision {
  StaleAction action = StaleAction::kNone;
  std::string reason;  // for kMark: what goes into numalign.io/stale-reason
};

// Pure: what to do with one NRT at `now`. A missing or unreadable heartbeat counts as stale
// (an agent that never wrote one cannot vouch for its data); a heartbeat from the future (clock
// skew between nodes) counts as fresh. A node already marked is not re-marked (no write).
StalenessDecision DecideStaleness(const kube::NodeResourceTopology& nrt, kube::Clock::TimePoint now,
                                  std::chrono::milliseconds stale_after);

bool IsMarkedStale(const kube::NodeResourceTopology& nrt);

// "3m0s", "45s", "1h2m3s": Go's duration style for messages.
std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace numalign::controller
