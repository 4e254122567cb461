#pragma once

#include <string_view>

// numalign's own NodeResourceTopology attributes: one definition of the names for their writers
// (numalign-agent's publisher, numalign-controller's stale mark) and readers (the controller,
// numalign-extender's view). agent/publish/README.md documents the values.
namespace numalign::kube {

// Top level, written by numalign-agent.
//
// "agent" or "kubelet". Its presence marks an NRT numalign-agent published: NRTs without it come
// from another producer (NFD topology-updater, RTE), which writes no heartbeat and gets the
// extender's reserve-cache accounting.
inline constexpr std::string_view kPinningModeAttribute = "numalign.io/pinningMode";
// "<id>,<id>=<assignments>" per multi-NUMA memory group, groups joined by ";" ("0,1=3;2,3=1");
// "" when no group spans several NUMA nodes.
inline constexpr std::string_view kMemoryGroupsAttribute = "numalign.io/memoryGroups";
inline constexpr std::string_view kCpuManagerPolicyAttribute = "numalign.io/cpuManagerPolicy";
inline constexpr std::string_view kMemoryManagerPolicyAttribute = "numalign.io/memoryManagerPolicy";
// Bumped on every change of the agent's allocation state.
inline constexpr std::string_view kStateGenerationAttribute = "numalign.io/stateGeneration";
// RFC 3339 UTC time of the write, rewritten at least every heartbeat interval: the only
// attribute that changes without a state change.
inline constexpr std::string_view kHeartbeatAttribute = "numalign.io/heartbeat";

// On every node-<id> zone, written by numalign-agent: the NUMA node's logical CPU OS ids in the
// kernel list format ("0-15,32-47"; "" for a memory-only node). The NRT's `cpu` resource is only
// a count, while numalign.io/pinned names real CPU ids.
inline constexpr std::string_view kZoneCpusAttribute = "numalign.io/cpus";

// Top level, written by numalign-controller while the agent's heartbeat is older than
// --stale-after: "true", why (for people), and since when (RFC 3339 UTC). The node's NUMA data is
// then unknown to the extender.
inline constexpr std::string_view kStaleAttribute = "numalign.io/stale";
inline constexpr std::string_view kStaleReasonAttribute = "numalign.io/stale-reason";
inline constexpr std::string_view kStaleSinceAttribute = "numalign.io/stale-since";

}  // namespace numalign::kube
