#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/model/workload.h"
#include "sim/scheduler/extender_client.h"
#include "sim/scheduler/resource_list.h"
#include "sim/scheduler/topology_plugin.h"

namespace numalign::sim {

// The result of one scheduling cycle.
struct SchedulingDecision {
  std::string node;                         // "" = unschedulable (or the extender failed)
  std::string reason;                       // why no node, in the scheduler's words
  bool extender_bound = false;              // the extender's bind verb created the binding
  std::vector<double> extender_latency_us;  // one sample per extender call of this cycle
};

// A model of kube-scheduler v1.32's scheduling cycle for one profile:
//  - PreFilter/Filter: NodeResourcesFit on node totals (allocatable minus the requests of the
//    pods assumed/bound on the node), then the optional topology plugin's Filter; nodes are
//    visited from a rotating start index and the search stops after numFeasibleNodesToFind
//    feasible nodes (percentageOfNodesToScore unset: adaptive 50 - n/125 %, at least 100 nodes).
//  - Extender filter on the feasible nodes (nodeCacheCapable: names only).
//  - Score: NodeResourcesFit (LeastAllocated, cpu and memory weight 1) and
//    NodeResourcesBalancedAllocation (cpu, memory), plugin weight 1 each, plus the topology
//    plugin (its weight), plus extender priority * weight * (MaxNodeScore/MaxExtenderPriority).
//    The default profile's other score plugins give every simulated node the same score
//    (no taints, affinities, images or volumes) and are left out; so is PodTopologySpread's
//    system default spreading, which the simulated cluster (no zones) would only use by hostname.
//  - Select: highest total; ties go to the lowest node name. (kube-scheduler samples ties at
//    random; the simulator must be repeatable.)
//  - Reserve (topology plugin), then bind: through the extender's bind verb when configured,
//    else the default binder. The pod is then assumed on the node (its requests counted) until
//    RemovePod.
// Single-threaded, deterministic.
class SchedulerModel {
 public:
  struct Node {
    std::string name;
    ResourceList allocatable;
  };

  // `extender` and `plugin` may be null; they must outlive the model.
  SchedulerModel(std::vector<Node> nodes, ExtenderClient* extender, TopologyPlugin* plugin);

  // One scheduling cycle. `pod_object` is the v1.Pod JSON sent to the extender (with uid).
  // On success the pod is assumed on the chosen node under pod.spec.Key().
  SchedulingDecision Schedule(const SimPod& pod, const nlohmann::json& pod_object);

  // The pod left the node (deleted, or failed admission: terminal pods free their requests).
  // False when the key is unknown.
  bool RemovePod(const std::string& pod_key);

  const ResourceList& Requested(const std::string& node) const;
  const std::vector<Node>& nodes() const { return nodes_; }

  // numFeasibleNodesToFind for n nodes with percentageOfNodesToScore unset.
  static std::size_t FeasibleNodesToFind(std::size_t all_nodes);

 private:
  std::vector<Node> nodes_;
  std::map<std::string, std::size_t> index_;
  struct Assumed {
    std::size_t node = 0;
    ResourceList requests;
    ResourceList non_zero;
  };
  std::optional<std::string> Fits(std::size_t node, const ResourceList& requests) const;
  void Add(std::size_t node, const std::string& key, const ResourceList& requests,
           const ResourceList& non_zero);
  std::int64_t ScoreInTree(std::size_t node, const ResourceList& requests,
                           const ResourceList& non_zero) const;

  std::vector<ResourceList> requested_;
  std::vector<ResourceList> non_zero_requested_;  // what the scoring plugins count
  std::map<std::string, Assumed> assumed_;        // by pod key
  ExtenderClient* extender_;
  TopologyPlugin* plugin_;
  std::size_t next_start_ = 0;
};

}  // namespace numalign::sim
