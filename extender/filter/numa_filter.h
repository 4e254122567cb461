#pragma once

#include <optional>
#include <string>

#include "extender/config/decision_options.h"
#include "extender/view/node_view.h"
#include "numa/topologymanager/policy_options.h"

namespace numalign::extender {

// Pod annotation asking for a stricter Topology Manager policy than the node's own.
inline constexpr const char* kPodTopologyPolicyAnnotation = "numalign.io/topology-policy";

struct FilterOptions {
  UnmanagedNodes unmanaged = UnmanagedNodes::kPass;
};

// NodeFit: extender/view/node_verdicts.h.

struct NodeEvaluation {
  NodeFit fit = NodeFit::kFits;
  std::string reason;        // the kubelet's words when not kFits
  numa::AdmitResult result;  // NodeAdmitter::Evaluate: what Admit would give (admitted pods only)
  bool managed = false;      // false: the node has no usable NRT and was judged by the option
};

// Strictness order: none < best-effort < restricted < single-numa-node.
std::optional<numa::TopologyPolicyName> ParseTopologyPolicyName(const std::string& text);
bool IsStricter(numa::TopologyPolicyName asked, numa::TopologyPolicyName node);

// The kubelet's admission of `pod` on the node as the view has it (NodeAdmitter::Evaluate). A pod
// policy stricter than the node's is honoured on agent-mode nodes by checking the admitted
// containers' NUMA sets against it (single-numa-node: one NUMA node per container; restricted:
// every stored hint preferred), because the agent enforces the same on the pod.
NodeEvaluation EvaluateNode(const NodeState* node, const numa::PodRequests& pod,
                            std::optional<numa::TopologyPolicyName> pod_policy,
                            const FilterOptions& options);

// Whether the pod takes part in NUMA alignment at all (Guaranteed): others pass every node.
bool NeedsAlignment(const numa::PodRequests& pod);

// The NUMA node ids each container of an admit result is bound to (CPUs and memory together).
std::vector<int> NumaNodesOf(const numa::Machine& machine, const numa::ContainerAllocation& c);

}  // namespace numalign::extender
