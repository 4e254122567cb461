#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "controller/defragmentation/eviction_planner.h"
#include "extender/view/node_view.h"
#include "kube/informer/store.h"
#include "kube/rest/api_client.h"

namespace numalign::controller {

// policy/v1 PodDisruptionBudgets (kube/ has no descriptor for them).
const kube::ResourceDescriptor& PodDisruptionBudgets();

// A label selector (matchLabels and matchExpressions) applied to labels. An empty or missing
// selector selects everything, as policy/v1 PDBs do; an unknown operator selects nothing.
bool SelectorMatches(const kube::Json& selector, const std::map<std::string, std::string>& labels);

// What the defragmenter works on in one pass.
struct ClusterSnapshot {
  std::vector<kube::Json> pending;  // pending NUMA pods (see IsPendingNumaPod)
  std::vector<NodeModel> nodes;     // existing nodes with a usable, not stale-marked NRT
  std::map<std::string, int> pdb_disruptions_allowed;
};

// Guaranteed, of the NUMA scheduler, unbound, PodScheduled=False with reason Unschedulable.
bool IsPendingNumaPod(const kube::Json& pod, const std::string& scheduler_name);

// Assembles a snapshot from the extender's node view (NRT machine + kubelet configuration with
// every placed pod replayed into a NodeAdmitter: the same model the extender filters with, so a
// plan opens a place the extender will then see), restricted to nodes whose Node object exists,
// plus the footprints of the pods each admitter holds, the pending pods and the budgets.
ClusterSnapshot AssembleSnapshot(const extender::NodeView& view,
                                 const std::set<std::string>& existing_nodes,
                                 const std::vector<kube::ObjectPtr>& pods,
                                 const std::vector<kube::ObjectPtr>& pdbs,
                                 const std::string& scheduler_name);

}  // namespace numalign::controller
