#pragma once

#include <map>
#include <string>
#include <vector>

#include "controller/defragmentation/eviction_planner.h"
#include "kube/rest/api_client.h"

namespace numalign::controller {

// policy/v1 PodDisruptionBudgets (kube/ has no descriptor for them).
const kube::ResourceDescriptor& PodDisruptionBudgets();

// A label selector (matchLabels and matchExpressions) applied to labels. An empty or missing
// selector selects everything, as policy/v1 PDBs do; an unknown operator selects nothing.
bool SelectorMatches(const kube::Json& selector, const std::map<std::string, std::string>& labels);

// What the defragmenter reads from the cluster in one pass.
struct ClusterSnapshot {
  std::vector<kube::Json> pending;  // pending NUMA pods (see IsPendingNumaPod)
  std::vector<NodeModel> nodes;     // nodes with a fresh (not stale-marked) NRT
  std::map<std::string, int> pdb_disruptions_allowed;
};

// Guaranteed, of the NUMA scheduler, unbound, PodScheduled=False with reason Unschedulable.
bool IsPendingNumaPod(const kube::Json& pod, const std::string& scheduler_name);

// Reads NRTs, pods and PDBs. Zone free amounts are the NRT's `available`; stale-marked NRTs are
// left out (their numbers cannot be trusted to plan evictions).
ClusterSnapshot ReadClusterSnapshot(kube::ApiClient& client, const std::string& scheduler_name);

}  // namespace numalign::controller
