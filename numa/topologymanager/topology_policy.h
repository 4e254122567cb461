#pragma once

#include <optional>
#include <string>
#include <vector>

#include "numa/topology/machine.h"
#include "numa/topology/numa_id_map.h"
#include "numa/topologymanager/hint.h"
#include "numa/topologymanager/hint_merger.h"
#include "numa/topologymanager/policy_options.h"

namespace numalign::numa {

// The outcome of one Topology Manager policy merge for a container or a pod.
struct PolicyDecision {
  TopologyHint best;   // the hint stored for the container(s); nil affinity = no preference
  bool admit = false;  // false -> TopologyAffinityError
};

// A Topology Manager policy bound to one machine: none, best-effort, restricted or
// single-numa-node, with its options.
class TopologyPolicy {
 public:
  // Fails with the kubelet's start-up messages, e.g. "unsupported on machines with more than 8
  // NUMA Nodes" (only when the policy is not none) or missing distances with
  // prefer-closest-numa-nodes.
  static std::optional<TopologyPolicy> Create(TopologyPolicyName policy,
                                              const TopologyPolicyOptions& options,
                                              const Machine& machine, const NumaIdMap& ids,
                                              std::string* error);

  PolicyDecision Merge(const std::vector<ProviderHints>& providers) const;
  PolicyDecision Merge(std::vector<ProviderHints>&& providers) const;
  // The same on lists that are already normalised.
  PolicyDecision MergeLists(HintLists lists) const;

  TopologyPolicyName name() const { return policy_; }
  const TopologyPolicyOptions& options() const { return options_; }
  NumaMask DefaultMask() const { return default_mask_; }
  const MaskFitness& fitness() const { return fitness_; }

 private:
  TopologyPolicyName policy_ = TopologyPolicyName::kNone;
  TopologyPolicyOptions options_;
  NumaMask default_mask_;
  MaskFitness fitness_;
};

}  // namespace numalign::numa
