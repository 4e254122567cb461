#pragma once

#include <optional>
#include <string>

#include "kube/objects/node_resource_topology.h"
#include "kube/objects/numalign_attributes.h"
#include "numa/admission/node_admitter.h"

namespace numalign::extender {

// numalign's NRT attributes (kube/objects/numalign_attributes.h) as the view reads them:
// - the pinning mode's presence marks an NRT numalign-agent published (accounted from pod
//   annotations); NRTs without it come from another producer and get reserve-cache accounting;
//   "agent" means the agent pins, so the pod's numalign.io/topology-policy is honoured;
// - the controller's stale mark ("true", also honoured as an NRT annotation) means the node's
//   agent stopped reporting: its NUMA data can no longer be trusted in either direction and
//   nobody would pin a decision there, so filter rejects it for NUMA pods whatever
//   --unmanaged-nodes says (see NodeState::stale);
// - the zones' CPU lists place the real CPU ids of numalign.io/pinned in zones
//   (pinned_decision.h); the machine built here stays synthetic.
using kube::kPinningModeAttribute;
using kube::kStaleAttribute;
using kube::kStaleReasonAttribute;
using kube::kZoneCpusAttribute;
inline constexpr const char* kAgentPinningMode = "agent";
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
