#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/allocation/checkpoint_store.h"
#include "agent/allocation/node_state.h"
#include "agent/allocation/pod_observation.h"
#include "agent/allocation/pod_record.h"
#include "numa/admission/admit_result.h"
#include "numa/admission/node_admitter.h"
#include "numa/allocation/pinned_annotation.h"

namespace numalign::agent {

// The outcome of placing one pod.
struct PlacementOutcome {
  enum class Kind {
    kAdmitted,         // placed now (or already placed before: `already_known`)
    kRejected,         // nothing fits: reason/message in the kubelet's words
    kCheckpointFailed  // placed in memory but the checkpoint could not be written: rolled back,
                       // retry later (nothing may be pinned without a durable checkpoint)
  };
  Kind kind = Kind::kRejected;
  bool already_known = false;
  PlacementSource source = PlacementSource::kKubelet;
  std::string reason;   // "TopologyAffinityError", "UnexpectedAdmissionError", ...
  std::string message;  // the kubelet's message, or the checkpoint error
  // Why the extender's decision was not used (malformed, for another node, no longer fits);
  // empty when it was used or there was none.
  std::string decision_refused;
  bool shared_pool_changed = false;  // exclusive CPUs were taken: re-pin the shared containers
};

// What happened at start-up.
struct RestoreReport {
  enum class Checkpoint { kMissing, kRestored, kCorrupted };
  Checkpoint checkpoint = Checkpoint::kMissing;
  std::string problem;                // why the checkpoint was refused (when kCorrupted)
  std::vector<std::string> kept;      // uids restored from the checkpoint
  std::vector<std::string> rebuilt;   // uids rebuilt from their pinned annotation / cgroups
  std::vector<std::string> admitted;  // uids admitted afresh, in admission order
  std::vector<std::string> released;  // uids in the checkpoint that are gone or terminated
  std::vector<std::string> rejected;  // uids that no longer fit
  std::optional<std::string> save_error;
};

// Reads what a pod's cgroups are pinned to now, for rebuilding a corrupted checkpoint when the
// pod has no numalign.io/pinned annotation. nullopt when nothing can be read.
using PinnedReader = std::function<std::optional<numa::PinnedRecord>(const PodObservation&)>;

// The node's NUMA allocation authority: the kubelet's admission (NodeAdmitter) plus numalign's
// pod records, with every change checkpointed durably before the caller may touch a cgroup.
// Not thread-safe: one worker drives it (agent/pods); readers get snapshots via NodeStateHub.
class AllocationEngine {
 public:
  struct Options {
    std::string node_name;
    std::string pinning_mode = "agent";
    std::string cpu_manager_policy = "static";
    std::string memory_manager_policy = "Static";
  };

  AllocationEngine(numa::NodeAdmitter admitter, Options options, CheckpointStore& store);

  // Places a pod bound to this node: the extender's decision when it carries a valid one that
  // still fits, else the kubelet's way. Idempotent: a known pod returns kAdmitted/already_known.
  PlacementOutcome Place(const PodObservation& pod);
  // Places several pods in order, as Place would one after the other, but with one checkpoint
  // write for all (group commit: a burst of binds pays one fsync, not one each). When that write
  // fails every pod placed by this call is rolled back and reported kCheckpointFailed.
  std::vector<PlacementOutcome> PlaceAll(const std::vector<const PodObservation*>& pods);

  // Returns a pod's resources (terminated or deleted). False when the pod was not known. When
  // the checkpoint cannot be written the release still holds in memory and `save_error` is set;
  // the next successful save catches up.
  bool Release(const std::string& uid, std::optional<std::string>* save_error = nullptr);

  // Start-up: load the checkpoint, validate and restore it (or rebuild it from the pods' pinned
  // annotations / cgroups when it is corrupted), release what is gone, then admit every other
  // live pod in the deterministic order. `live_pods`: every pod bound to the node right now.
  RestoreReport Restore(const std::vector<PodObservation>& live_pods, const PinnedReader& reader);

  // Writes the checkpoint now (e.g. at shutdown, or to retry after a failure).
  std::optional<std::string> Flush();

  const PodRecord* Find(const std::string& uid) const;
  std::vector<PodRecord> RecordsInOrder() const;  // by admission sequence
  // Exclusive CPUs of one container (empty = shared pool) and its memory NUMA nodes per resource.
  std::vector<int> ExclusiveCpus(const std::string& uid, const std::string& container) const;
  std::map<std::string, std::vector<int>> MemoryNuma(const std::string& uid,
                                                     const std::string& container) const;
  // The CPU Manager's default set (what shared-pool containers run on); every CPU with the
  // CPU Manager policy "none".
  std::vector<int> SharedPool() const;
  std::vector<int> AllNumaIds() const { return admitter_.machine().node_ids(); }

  std::uint64_t generation() const { return generation_; }
  NodeStateSnapshot Snapshot() const;
  const numa::NodeAdmitter& admitter() const { return admitter_; }

  // The checkpoint document (exposed for tests and tooling).
  nlohmann::json CheckpointDocument() const;

 private:
  std::optional<std::string> Save();
  // Place without the checkpoint; true when the pod was newly placed (state changed).
  bool PlaceInMemory(const PodObservation& pod, PlacementOutcome* out);
  void Commit(numa::NodeAdmitter admitter, PodRecord record);
  // Restores from a loaded document; the problem when it cannot be used.
  std::optional<std::string> LoadDocument(const nlohmann::json& document);
  // Rebuilds one pod's allocations from what it is pinned to; false (nothing changed) if not.
  bool RebuildPod(const PodObservation& pod, const numa::PinnedRecord& pinned,
                  numa::CpuAssignments* cpu_assignments);

  numa::NodeAdmitter admitter_;
  Options options_;
  CheckpointStore& store_;
  std::map<std::string, PodRecord> records_;  // by uid
  std::uint64_t next_sequence_ = 1;
  std::uint64_t generation_ = 0;
};

}  // namespace numalign::agent
