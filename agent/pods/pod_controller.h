#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "agent/allocation/allocation_engine.h"
#include "agent/allocation/node_state_hub.h"
#include "agent/allocation/pod_observation.h"
#include "agent/health/agent_metrics.h"
#include "agent/pinning/cgroup_pinner.h"
#include "agent/pods/pod_api.h"

namespace numalign::agent {

// The agent's reaction to its node's pods, single-threaded and deterministic: a PodWorker calls
// it from one thread; every side effect goes through injected interfaces (engine -> checkpoint
// store, pinner -> cgroups, api -> annotations and Events, hub -> NRT publication).
//
// For a live pod: place it (engine, which checkpoints first), then pin its cgroups, then mark it
// numalign.io/pinned. When exclusive CPUs are taken or returned the shared pool changes; the
// shared-pool containers are re-pinned later, by RepinSharedPoolIfChanged (the worker calls it
// when its queue is empty, and Tick does), never on the bind path: a burst of binds must not
// wait for O(pods) cgroup writes per pod. The kubelet's CPU Manager also updates shared-pool
// containers from its reconcile loop rather than at admission. When nothing fits: an Event,
// numalign.io/pinning-failed, the error metric; the pod is retried only after some pod released
// resources. A terminated or deleted pod is released. API failures never block pinning: annotation
// patches wait in a queue retried by Tick().
class PodController {
 public:
  using Logger = std::function<void(const std::string& level, const std::string& message)>;

  PodController(AllocationEngine& engine, CgroupPinner& pinner, PodApi& api, NodeStateHub& hub,
                AgentMetrics& metrics, std::string node_name, Logger log = nullptr);

  // Start-up, before any event: restore the engine from its checkpoint with the pods listed now
  // (the informer's first list), report a corrupted checkpoint, then pin every pod.
  RestoreReport Start(const std::vector<PodObservation>& pods);

  void OnPodUpsert(const PodObservation& pod);
  // A burst of upserts in arrival order: the live pods are placed with one checkpoint write
  // (group commit), then pinned; a terminated pod is released where it stands in the sequence.
  void OnPodUpserts(const std::vector<PodObservation>& pods);
  void OnPodDeleted(const std::string& uid);
  // Periodic: repair drift, retry pods whose cgroups were missing, queued patches, and placements
  // that failed on a checkpoint write.
  void Tick();
  // Re-pins every shared-pool container when the pool differs from the one they were last
  // pinned to. One pod at a time: before each, `yield` (when given) may ask to stop so a newly
  // queued bind is served first; the next call resumes. True when there was something to do.
  bool RepinSharedPoolIfChanged(const std::function<bool()>& yield = nullptr);
  bool SharedPoolRepinPending() const;

  bool HasPendingAnnotations() const { return !pending_patches_.empty(); }
  std::size_t failed_count() const { return failed_.size(); }

 private:
  void Process(const std::string& uid);
  // Places the live, not failed pods among `uids` (one checkpoint), then pins them.
  void PlaceAndPin(const std::vector<std::string>& uids);
  void PinPod(const PodObservation& pod);
  void Annotate(const PodObservation& pod,
                std::map<std::string, std::optional<std::string>> changes);
  void FlushPatches();
  void Publish();
  void Log(const std::string& level, const std::string& message) const;

  AllocationEngine& engine_;
  CgroupPinner& pinner_;
  PodApi& api_;
  NodeStateHub& hub_;
  AgentMetrics& metrics_;
  std::string node_name_;
  Logger log_;

  std::map<std::string, PodObservation> pods_;    // live pods by uid
  std::map<std::string, std::string> failed_;     // uid -> reason; retried on release
  std::set<std::string> retry_;                   // pin or place to retry at Tick
  std::map<std::string, std::string> annotated_;  // uid -> pinned value last written
  std::vector<int> shared_pool_pinned_;           // the pool shared containers were pinned to
  std::deque<std::string> repin_queue_;           // uids still to re-pin for that pool
  struct PendingPatch {
    std::string namespace_name, name;
    std::map<std::string, std::optional<std::string>> changes;
  };
  std::map<std::string, PendingPatch> pending_patches_;  // uid -> merged pending changes
};

}  // namespace numalign::agent
