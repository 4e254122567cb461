#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "extender/config/decision_options.h"
#include "numa/admission/node_admitter.h"
#include "numa/topologymanager/policy_options.h"

namespace numalign::extender {

struct ScoringOptions {
  ScoringStrategy strategy = ScoringStrategy::kLeastNumaNodes;
  // Resource -> weight (>= 1), like scheduler-plugins' scoringStrategy.resources.
  std::map<std::string, std::int64_t> weights{{"cpu", 1}, {"memory", 1}};
  int max_numa_nodes = 8;  // topologyManagerPolicyOptions max-allowable-numa-nodes default
};

// What is still free on one NUMA node: exclusive-assignable CPUs and memory resources (bytes).
struct ZoneFree {
  int numa_id = 0;
  std::map<std::string, double> available;
};

// Free resources per NUMA node of an admitter's current state.
std::vector<ZoneFree> FreePerZone(const numa::NodeAdmitter& node);

// Per-zone scorers of scheduler-plugins (peers.md 2.3), 0..100; request and availability by
// resource; only resources with a weight count (balanced ignores weights, as upstream).
double ZoneScore(ScoringStrategy strategy, const std::map<std::string, double>& request,
                 const std::map<std::string, double>& available,
                 const std::map<std::string, std::int64_t>& weights);

// The balanced-allocation share of scheduler-plugins (peers.md 2.3): 1 minus the population
// variance of the requested fractions (request / available) of a zone, in 0..1. `fractions`
// must not be empty.
double BalancedShare(const std::vector<double>& fractions);

// The node's score 0..100 for a pod `admitted` on a scratch copy of `before` (its state before
// the pod). least-numa-nodes: 100 - k*unit (+unit/2 when the chosen NUMA set has the smallest
// average distance among all sets of that size), k = most NUMA nodes any container spans;
// unit = 100 / max_numa_nodes. The allocation strategies: on single-numa-node nodes per zone
// (pod scope: minimum non-zero zone score; container scope: mean over containers of that),
// elsewhere the whole node counts as one zone because the kubelet may spread the pod.
double NodeScore100(const ScoringOptions& options, const numa::NodeAdmitter& before,
                    const numa::PodRequests& pod, const numa::AdmitResult& admitted);

// 0..100 -> the extender's 0..10, rounded to nearest.
std::int64_t ToExtenderScore(double score100);

}  // namespace numalign::extender
