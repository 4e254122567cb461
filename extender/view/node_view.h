#pragma once

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "extender/view/admitter_templates.h"
#include "extender/view/foreign_nrt_sync.h"
#include "extender/view/node_verdicts.h"
#include "extender/view/nrt_node_model.h"
#include "extender/view/pinned_decision.h"
#include "kube/objects/object_meta.h"
#include "numa/allocation/allocation_annotation.h"
#include "numa/pod/pod_requests.h"

namespace numalign::extender {

// One node's NUMA state as of one generation: immutable once published, so readers hold a
// shared_ptr and never lock (copy-on-write per node).
struct NodeState {
  std::string name;
  std::uint64_t generation = 0;
  // Set when the node has a usable NRT; otherwise `unmanaged_reason` says why.
  std::optional<numa::NodeAdmitter> admitter;
  std::string unmanaged_reason;
  // The controller's stale mark is set (no admitter): filter rejects the node for NUMA pods
  // whatever --unmanaged-nodes says, since neither its accounting nor its pinning can be trusted.
  bool stale = false;
  bool agent_mode = false;
  // Every pod whose placement is accounted in `admitter`, by uid.
  std::set<std::string> pod_uids;
  // std::hash of each of pod_uids, sorted: lets filter rule out "this pod is accounted here" on
  // thousands of candidate nodes with one hash per call and a few integer compares per node.
  std::vector<std::size_t> pod_uid_hashes;

  bool Accounts(const std::string& uid, std::size_t uid_hash) const {
    return std::binary_search(pod_uid_hashes.begin(), pod_uid_hashes.end(), uid_hash) &&
           pod_uids.count(uid) > 0;
  }
  void IndexPodUids() {
    pod_uid_hashes.clear();
    for (const auto& uid : pod_uids) pod_uid_hashes.push_back(std::hash<std::string>{}(uid));
    std::sort(pod_uid_hashes.begin(), pod_uid_hashes.end());
  }
  // Replayed placements the admitter refused (the NRT and the pods disagree); for diagnostics.
  std::vector<std::string> replay_rejections;
  // Memo of filter/prioritize verdicts on this state (set by the view; null: no memo).
  std::shared_ptr<NodeVerdicts> verdicts;
};

// The node view: every node's NUMA state, built from the NRT, pod and node informers' events.
// A node's admitter is rebuilt from scratch (its NRT, then every placement on it replayed in a
// fixed order: creation time, then uid) whenever one of its inputs changes, so the incremental
// view and a view rebuilt from the API by another replica or after a restart are identical.
//
// Placements counted on a node: pods bound to it (spec.nodeName) that are not terminal and
// Guaranteed, and pods carrying numalign.io/allocation for it that are not bound yet (the
// extender's own decisions between bind's annotation write and the binding). NRTs from another
// producer (no numalign.io/pinningMode attribute) are read pessimistically, like scheduler-plugins'
// reserve cache: trusted only while their pod-set fingerprint matches the pods the view knows
// there, pods they do not account charged on every zone (ForeignNrtSync).
//
// Thread-safe: writers serialize on one mutex; readers get immutable snapshots.
class NodeView {
 public:
  void UpsertNrt(const kube::Json& nrt_object);
  void DeleteNrt(const std::string& node_name);
  void UpsertPod(const kube::Json& pod_object);
  void DeletePod(const kube::Json& pod_object);
  void DeleteNode(const std::string& node_name);

  // Records a decision bind is about to write, so concurrent filters see it at once. It holds
  // until the informer shows the pod placed (or deleted), or ForgetPod drops it.
  void RecordDecision(const std::string& node_name, const kube::Json& pod_object);
  // Drops a recorded decision (bind failed); false when the pod was unknown.
  bool ForgetPod(const std::string& uid);

  std::shared_ptr<const NodeState> Get(const std::string& node_name) const;
  // Get for many nodes under one lock (null for unknown names), in the order of `names`.
  std::vector<std::shared_ptr<const NodeState>> GetMany(
      const std::vector<std::string>& names) const;
  std::vector<std::string> NodeNames() const;  // sorted
  std::uint64_t generation() const;

  struct CacheSizes {
    std::size_t nodes = 0;  // node states (with or without an NRT)
    std::size_t nrts = 0;
    std::size_t pods = 0;                // pods whose placement is accounted
    std::size_t assumed = 0;             // bind's decisions the informer has not shown placed yet
    std::size_t admitter_templates = 0;  // distinct NRT shapes (AdmitterTemplates)
  };
  CacheSizes Sizes() const;

 private:
  struct PodEntry {
    std::string node;
    std::string order_key;  // creation timestamp + uid: the replay order
    numa::PodRequests requests;
    bool counts_on_foreign = false;  // not Running yet: a foreign producer may not count it
    // The pod's numalign.io/allocation for this node, when it has a valid one: on agent-mode
    // nodes the agent committed exactly that, so the replay applies it instead of re-deciding.
    std::optional<numa::AllocationDecision> decision;
    // What a foreign NRT is charged for the pod while it does not account it.
    EffectiveRequest foreign_request;
    // Without such a decision, the agent's numalign.io/pinned for this node, if valid: replayed
    // as the decision it amounts to (the agent admitted the pod in its own order).
    std::optional<PinnedPlacement> pinned;
  };

  void UpsertPodEntry(const kube::Json& pod_object, bool assumed);
  // `also_rebuild`: a node to rebuild even if the placement is unchanged ("": none).
  void PlacePodLocked(const std::string& uid, std::optional<PodEntry> entry,
                      const std::string& also_rebuild = "");
  // Records the pod's membership in fingerprints; returns the foreign node whose fingerprinted
  // pods changed ("": none), which must be rebuilt.
  std::string UpdateFingerprintedLocked(const std::string& node, const std::string& uid,
                                        const std::optional<FingerprintMember>& member);
  void RebuildLocked(const std::string& node_name);

  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::map<std::string, kube::NodeResourceTopology> nrts_;
  std::map<std::string, PodEntry> pods_;  // by uid
  // Decisions recorded by bind that the informer has not shown placed yet; an older event of
  // such a pod (unplaced) must not erase the decision meanwhile.
  std::set<std::string> assumed_;
  std::map<std::string, std::set<std::string>> pods_by_node_;  // node -> uids
  // Foreign NRTs' trusted state, and the pods (of any QoS) their fingerprints cover.
  ForeignNrtSync foreign_nrts_;
  // Flat (open addressing, entries inline): filter looks up every candidate name (thousands
  // per call) under the lock, and a node-based map costs a cache miss or two more per name.
  absl::flat_hash_map<std::string, std::shared_ptr<const NodeState>> states_;
  AdmitterTemplates templates_;
};

// The node a pod's placement is accounted on ("" = none) and whether it needs NUMA accounting.
std::optional<std::string> PlacementNodeOf(const kube::Json& pod_object);

}  // namespace numalign::extender
