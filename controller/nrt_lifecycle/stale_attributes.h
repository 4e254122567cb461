#pragma once

#include <string_view>

namespace numalign::controller {

// Top-level NodeResourceTopology attributes the controller reads and writes.
//
// Read: the agent's heartbeat (agent/publish/nrt_builder.h kAttrHeartbeat), an RFC 3339 UTC time
// rewritten at least every heartbeat interval (60 s by default) even when nothing changed.
inline constexpr std::string_view kHeartbeatAttribute = "numalign.io/heartbeat";

// Present only on NRTs numalign-agent publishes (agent/publish: `agent` or `kubelet`). Other
// producers (NFD's topology-updater, the RTE) write no heartbeat, so only these are judged.
inline constexpr std::string_view kPinningModeAttribute = "numalign.io/pinningMode";

// Written while the heartbeat is older than --stale-after; the extender must treat the node's
// NUMA data as unknown while kStaleAttribute == "true".
inline constexpr std::string_view kStaleAttribute = "numalign.io/stale";
// Why, for people: "heartbeat 2026-11-22T12:00:00Z is 5m0s old (limit 3m0s)" or "no heartbeat".
inline constexpr std::string_view kStaleReasonAttribute = "numalign.io/stale-reason";
// When the controller first marked the data stale (RFC 3339 UTC).
inline constexpr std::string_view kStaleSinceAttribute = "numalign.io/stale-since";

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
