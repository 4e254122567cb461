#include "numa/admission/preferred_merge.h"

namespace numalign::numa {

std::optional<PolicyDecision> MergePreferredMasks(const TopologyPolicy& policy,
                                                  const PreferredCpuMasks& cpu,
                                                  const PreferredMemoryMasks& memory) {
  if (policy.name() == TopologyPolicyName::kNone || cpu.size() != memory.size()) {
    return std::nullopt;
  }
  const bool single = policy.name() == TopologyPolicyName::kSingleNumaNode;
  // single-numa-node keeps only one-node preferred hints, and compares them by narrowness.
  if (single && cpu.size() != 1) return std::nullopt;
  const MaskFitness narrowest;
  const MaskFitness& fitness = single ? narrowest : policy.fitness();
  // Ascending integer order, first fittest kept: the order the merge's candidates are ranked in.
  std::optional<NumaMask> best;
  ForEachMaskOfSize(cpu.universe().And(memory.universe()), cpu.size(), [&](NumaMask mask) {
    if (cpu.Offers(mask) && memory.Offers(mask) && (!best || fitness.Fitter(mask, *best))) {
      best = mask;
    }
    return true;
  });
  if (!best) return std::nullopt;
  PolicyDecision decision{TopologyHint{*best, true}, true};
  if (single && *best == policy.DefaultMask()) decision.best.affinity.reset();
  return decision;
}

}  // namespace numalign::numa
