#pragma once

#include <string_view>

#include "kube/objects/numalign_attributes.h"

namespace numalign::controller {

// Top-level NodeResourceTopology attributes the controller reads and writes (their names:
// kube/objects/numalign_attributes.h). It reads the agent's heartbeat, an RFC 3339 UTC time
// rewritten at least every heartbeat interval (60 s by default) even when nothing changed, and
// judges only NRTs carrying the pinning mode: other producers (NFD's topology-updater, the RTE)
// write no heartbeat. It writes the stale mark, reason and time while the heartbeat is older than
// --stale-after; the extender treats the node's NUMA data as unknown while the mark is "true".
using kube::kHeartbeatAttribute;
using kube::kPinningModeAttribute;
using kube::kStaleAttribute;
using kube::kStaleReasonAttribute;
using kube::kStaleSinceAttribute;

// Field ownership: `attributes` is an atomic list in the v1alpha2 CRD (no list-type map), so a
// writer always replaces the whole list. The controller writes the mark with a JSON merge patch
// (conditional on resourceVersion) carrying the agent's attributes plus the three above. When
// the agent comes back, its forced server-side apply replaces the list with its own, which drops
// the mark together with writing a fresh heartbeat: exactly "clear the mark when it returns".
// The mark therefore never fights the agent: it only exists while the agent is silent, and the
// controller also clears it itself when a fresh heartbeat arrives with the mark still present
// (an agent writing by update or patch instead of apply).
inline constexpr std::string_view kFieldManager = "numalign-controller";

}  // namespace numalign::controller
