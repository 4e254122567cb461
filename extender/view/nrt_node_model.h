#pragma once

#include <optional>
#include <string>

#include "kube/objects/node_resource_topology.h"
#include "numa/admission/node_admitter.h"

namespace numalign::extender {

// Attribute names as agent/publish/README.md and controller/nrt_lifecycle/stale_attributes.h
// publish them.
//
// numalign-agent's pinning mode, "agent" or "kubelet". Its presence marks an NRT numalign-agent
// published (accounted from pod annotations); NRTs without it come from another producer (NFD
// topology-updater, RTE) and get reserve-cache accounting.
inline constexpr const char* kPinningModeAttribute = "numalign.io/pinningMode";
inline constexpr const char* kAgentPinningMode = "agent";
// Set to "true" by numalign-controller when the node's agent stopped reporting (heartbeat older
// than --stale-after); also honoured as an NRT annotation. Such a node's NUMA data can no longer
// be trusted in either direction and nobody would pin a decision there, so filter rejects it for
// NUMA pods whatever --unmanaged-nodes says (see NodeState::stale).
inline constexpr const char* kStaleAttribute = "numalign.io/stale";
inline constexpr const char* kStaleReasonAttribute = "numalign.io/stale-reason";
// Zone attribute: the logical CPU OS ids of the NUMA zone, kernel list format ("0-15,32-47").
// Lets the view place the real CPU ids of numalign.io/pinned in zones (pinned_decision.h); the
// machine built here stays synthetic.
inline constexpr const char* kZoneCpusAttribute = "numalign.io/cpus";
// Kept for callers that spelled "any numalign.io attribute"; agent mode is kPinningModeAttribute.
inline constexpr const char* kNumalignAttributePrefix = "numalign.io/";

// What the extender knows about one node's NUMA hardware and kubelet configuration, rebuilt
// from its NodeResourceTopology.
struct NrtNodeModel {
  numa::Machine machine;
  numa::KubeletNumaConfig config;
  // numalign.io/pinningMode == agent: the agent pins (and confirms placements via
  // numalign.io/pinned), so the pod's numalign.io/topology-policy is honoured.
  bool agent_mode = false;
  // numalign.io/pinningMode present (either mode): published by numalign-agent. Other producers
  // get reserve-cache accounting.
  bool numalign_published = false;
};

// Whether the controller's stale mark is set ("true"); `reason` gets its stale-reason if any.
bool IsMarkedStale(const kube::NodeResourceTopology& nrt, std::string* reason);
// Whether numalign-agent published the NRT (numalign.io/pinningMode present).
bool IsNumalignPublished(const kube::NodeResourceTopology& nrt);

// Rebuilds the machine from the NRT zones: one single-thread core per CPU of a zone's `cpu`
// capacity (the NRT does not publish SMT siblings), memory and hugepages capacities, costs as
// distances; the kubelet configuration from the topologyManager* attributes, with reservations
// = capacity - allocatable per zone. Returns nullopt with `error` when the NRT describes no
// usable NUMA zone or the stale mark is set.
std::optional<NrtNodeModel> BuildNodeModel(const kube::NodeResourceTopology& nrt,
                                           std::string* error);

// The admitter for a model (the kubelet's start-up validation applies).
std::optional<numa::NodeAdmitter> CreateAdmitter(const NrtNodeModel& model, std::string* error);

}  // namespace numalign::extender
