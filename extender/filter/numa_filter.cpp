#include "extender/filter/numa_filter.h"

#include <algorithm>
#include <set>

namespace numalign::extender {

std::optional<numa::TopologyPolicyName> ParseTopologyPolicyName(const std::string& text) {
  if (text == "none") return numa::TopologyPolicyName::kNone;
  if (text == "best-effort") return numa::TopologyPolicyName::kBestEffort;
  if (text == "restricted") return numa::TopologyPolicyName::kRestricted;
  if (text == "single-numa-node") return numa::TopologyPolicyName::kSingleNumaNode;
  return std::nullopt;
}

bool IsStricter(numa::TopologyPolicyName asked, numa::TopologyPolicyName node) {
  // The enum is declared in strictness order.
  return static_cast<int>(asked) > static_cast<int>(node);
}

bool NeedsAlignment(const numa::PodRequests& pod) {
  return pod.Guaranteed();
}

std::vector<int> NumaNodesOf(const numa::Machine& machine, const numa::ContainerAllocation& c) {
  std::set<int> ids;
  for (int cpu : c.cpus) {
    for (const auto& n : machine.numa_nodes) {
      if (std::binary_search(n.cpus.begin(), n.cpus.end(), cpu)) ids.insert(n.id);
    }
  }
  for (const auto& [resource, numa_ids] : c.memory_numa)
    ids.insert(numa_ids.begin(), numa_ids.end());
  return {ids.begin(), ids.end()};
}

namespace {

constexpr const char* kTopologyAffinityError =
    "TopologyAffinityError: Resources cannot be allocated with Topology locality";

bool SatisfiesPodPolicy(const numa::NodeAdmitter& node, const numa::AdmitResult& result,
                        numa::TopologyPolicyName asked) {
  if (asked == numa::TopologyPolicyName::kSingleNumaNode) {
    for (const auto& [name, allocation] : result.containers) {
      if (NumaNodesOf(node.machine(), allocation).size() > 1) return false;
    }
    return true;
  }
  if (asked == numa::TopologyPolicyName::kRestricted) return result.AllPreferred();
  return true;  // best-effort never rejects
}

}  // namespace

NodeEvaluation EvaluateNode(const NodeState* node, const numa::PodRequests& pod,
                            std::optional<numa::TopologyPolicyName> pod_policy,
                            const FilterOptions& options) {
  NodeEvaluation evaluation;
  if (node != nullptr && node->stale) {
    // Not --unmanaged-nodes: the node runs a Topology Manager (kubelet mode) or expects the
    // agent to pin (agent mode), and neither can be predicted while its agent is silent.
    // No eviction helps either, so the scheduler should not preempt here.
    evaluation.fit = NodeFit::kUnresolvable;
    evaluation.reason = node->unmanaged_reason;
    return evaluation;
  }
  if (node == nullptr || !node->admitter) {
    if (options.unmanaged == UnmanagedNodes::kReject) {
      evaluation.fit = NodeFit::kUnresolvable;
      evaluation.reason = "node is not NUMA-managed: " +
                          (node ? node->unmanaged_reason : std::string("unknown node"));
    }
    return evaluation;
  }
  evaluation.managed = true;
  // Admit's exact verdict without changing (and mostly without copying) the shared state.
  evaluation.result = node->admitter->Evaluate(pod);
  if (!evaluation.result.admit) {
    evaluation.reason = evaluation.result.reason + ": " + evaluation.result.message;
    // SMT alignment depends on the pod's shape and the node's hardware, never on other pods.
    evaluation.fit =
        evaluation.result.reason == "SMTAlignmentError" ? NodeFit::kUnresolvable : NodeFit::kFailed;
    return evaluation;
  }
  if (pod_policy && node->agent_mode &&
      IsStricter(*pod_policy, node->admitter->topology_policy().name()) &&
      !SatisfiesPodPolicy(*node->admitter, evaluation.result, *pod_policy)) {
    evaluation.fit = NodeFit::kFailed;
    evaluation.reason = kTopologyAffinityError;
  }
  return evaluation;
}

}  // namespace numalign::extender
