#pragma once

#include <optional>
#include <string>

#include "kube/objects/node_resource_topology.h"
#include "numa/admission/node_admitter.h"

namespace numalign::extender {

// NRT attribute the controller sets when a node's agent stopped reporting; such a node is
// treated as if it had no NRT at all (--unmanaged-nodes decides), because its accounting can
// no longer be trusted in either direction.
inline constexpr const char* kStaleAttribute = "numalign.io/stale";
// Any attribute with this prefix marks an NRT published by numalign-agent (agent mode).
inline constexpr const char* kNumalignAttributePrefix = "numalign.io/";

// What the extender knows about one node's NUMA hardware and kubelet configuration, rebuilt
// from its NodeResourceTopology.
struct NrtNodeModel {
  numa::Machine machine;
  numa::KubeletNumaConfig config;
  // Published by numalign-agent: the agent confirms placements via numalign.io/pinned, and the
  // pod's numalign.io/topology-policy is honoured. Other producers get reserve-cache accounting.
  bool agent_mode = false;
};

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
