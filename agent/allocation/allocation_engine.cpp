#include "agent/allocation/allocation_engine.h"

#include <algorithm>
#include <set>

#include "agent/allocation/admitter_state.h"
#include "agent/allocation/node_snapshot.h"
#include "numa/allocation/allocation_annotation.h"
#include "numa/allocation/apply_decision.h"
#include "numa/memorymanager/checkpoint.h"
#include "numa/pod/pod_requests.h"

namespace numalign::agent {
namespace {

constexpr int kDocumentVersion = 1;
constexpr const char* kDocumentKind = "NumalignAgentState";

}  // namespace

AllocationEngine::AllocationEngine(numa::NodeAdmitter admitter, Options options,
                                   CheckpointStore& store)
    : admitter_(std::move(admitter)), options_(std::move(options)), store_(store) {}

const PodRecord* AllocationEngine::Find(const std::string& uid) const {
  auto it = records_.find(uid);
  return it == records_.end() ? nullptr : &it->second;
}

std::vector<PodRecord> AllocationEngine::RecordsInOrder() const {
  std::vector<PodRecord> out;
  out.reserve(records_.size());
  for (const auto& [uid, r] : records_) out.push_back(r);
  std::sort(out.begin(), out.end(),
            [](const PodRecord& a, const PodRecord& b) { return a.sequence < b.sequence; });
  return out;
}

std::vector<int> AllocationEngine::ExclusiveCpus(const std::string& uid,
                                                 const std::string& container) const {
  if (!admitter_.cpu_policy()) return {};
  return admitter_.cpu_policy()->Assigned(uid, container).ToVector();
}

std::map<std::string, std::vector<int>> AllocationEngine::MemoryNuma(
    const std::string& uid, const std::string& container) const {
  std::map<std::string, std::vector<int>> out;
  if (!admitter_.memory_policy()) return out;
  if (const auto* blocks = admitter_.memory_policy()->Blocks(uid, container)) {
    for (const auto& b : *blocks) out[b.type] = admitter_.numa_ids().IdsOf(b.affinity);
  }
  return out;
}

std::vector<int> AllocationEngine::SharedPool() const {
  if (admitter_.cpu_policy()) return admitter_.cpu_policy()->DefaultSet().ToVector();
  std::vector<int> all;
  for (const auto& cpu : admitter_.machine().cpus) all.push_back(cpu.id);
  return all;
}

NodeStateSnapshot AllocationEngine::Snapshot() const {
  SnapshotInputs in{admitter_,
                    RecordsInOrder(),
                    generation_,
                    options_.node_name,
                    options_.pinning_mode,
                    options_.cpu_manager_policy,
                    options_.memory_manager_policy};
  return BuildNodeSnapshot(in);
}

nlohmann::json AllocationEngine::CheckpointDocument() const {
  nlohmann::json pods = nlohmann::json::array();
  for (const auto& r : RecordsInOrder()) pods.push_back(PodRecordToJson(r));
  return {{"kind", kDocumentKind},
          {"version", kDocumentVersion},
          {"node", options_.node_name},
          {"generation", generation_},
          {"nextSequence", next_sequence_},
          // The kubelet's memory_manager_state layout (+ CPU assignments), with its own CRC.
          {"memoryManagerState",
           nlohmann::json::parse(numa::SerializeCheckpoint(AdmitterCheckpoint(admitter_)))},
          {"pods", std::move(pods)}};
}

std::optional<std::string> AllocationEngine::Save() {
  auto status = store_.Save(CheckpointDocument());
  if (!status) return status.error().ToString();
  return std::nullopt;
}

std::optional<std::string> AllocationEngine::Flush() {
  return Save();
}

PlacementOutcome AllocationEngine::Place(const PodObservation& pod) {
  return PlaceAll({&pod}).front();
}

bool AllocationEngine::PlaceInMemory(const PodObservation& pod, PlacementOutcome* out) {
  const std::string& uid = pod.spec.uid;
  if (auto it = records_.find(uid); it != records_.end()) {
    out->kind = PlacementOutcome::Kind::kAdmitted;
    out->already_known = true;
    out->source = it->second.source;
    return false;
  }
  const numa::PodRequests requests = numa::ComputePodRequests(pod.spec);
  numa::NodeAdmitter trial = admitter_;  // the node state only changes once the pod fits
  bool placed = false;
  if (pod.allocation_annotation) {
    std::string error;
    auto decision = numa::ParseAllocationDecision(*pod.allocation_annotation, &error);
    if (!decision) {
      out->decision_refused = error;
    } else if (auto why =
                   numa::ApplyAllocationDecision(trial, requests, *decision, options_.node_name)) {
      out->decision_refused = *why;
    } else {
      placed = true;
      out->source = PlacementSource::kExtender;
    }
  }
  if (!placed) {
    numa::AdmitResult result = trial.Admit(requests);
    if (!result.admit) {
      out->kind = PlacementOutcome::Kind::kRejected;
      out->reason = result.reason;
      out->message = result.message;
      return false;
    }
    out->source = PlacementSource::kKubelet;
  }
  const std::vector<int> pool_before = SharedPool();
  admitter_ = std::move(trial);
  records_[uid] = PodRecord{
      uid,        pod.spec.namespace_name, pod.spec.name, pod.creation_timestamp, next_sequence_++,
      out->source};
  ++generation_;
  out->kind = PlacementOutcome::Kind::kAdmitted;
  out->shared_pool_changed = SharedPool() != pool_before;
  return true;
}

std::vector<PlacementOutcome> AllocationEngine::PlaceAll(
    const std::vector<const PodObservation*>& pods) {
  std::vector<PlacementOutcome> outcomes(pods.size());
  // Everything a failed checkpoint must undo.
  numa::NodeAdmitter admitter_before = admitter_;
  const std::uint64_t sequence_before = next_sequence_;
  const std::uint64_t generation_before = generation_;
  std::vector<std::size_t> placed;
  for (std::size_t i = 0; i < pods.size(); ++i) {
    if (PlaceInMemory(*pods[i], &outcomes[i])) placed.push_back(i);
  }
  if (placed.empty()) return outcomes;
  // One durable checkpoint for the whole batch, before anyone may pin: a crash after this line
  // restores every pod of the batch, a crash before it re-admits them; never both, never neither.
  if (auto error = Save()) {
    admitter_ = std::move(admitter_before);
    for (std::size_t i : placed) {
      records_.erase(pods[i]->spec.uid);
      outcomes[i] = PlacementOutcome{};
      outcomes[i].kind = PlacementOutcome::Kind::kCheckpointFailed;
      outcomes[i].message = *error;
    }
    next_sequence_ = sequence_before;
    generation_ = generation_before;
  }
  return outcomes;
}

bool AllocationEngine::Release(const std::string& uid, std::optional<std::string>* save_error) {
  if (!records_.erase(uid)) return false;
  ReleasePod(admitter_, uid);
  ++generation_;
  auto error = Save();
  if (save_error) *save_error = error;
  return true;
}

std::optional<std::string> AllocationEngine::LoadDocument(const nlohmann::json& document) {
  if (document.value("kind", "") != kDocumentKind) return std::string("not a numalign agent state");
  auto version = document.find("version");
  if (version == document.end() || *version != kDocumentVersion) {
    return "unsupported state version " + (version == document.end() ? "none" : version->dump());
  }
  if (document.value("node", "") != options_.node_name) {
    return "state belongs to node \"" + document.value("node", "") + "\"";
  }
  auto memory_state = document.find("memoryManagerState");
  if (memory_state == document.end() || !memory_state->is_object()) {
    return std::string("memoryManagerState missing");
  }
  std::string error;
  auto checkpoint =
      numa::ParseCheckpoint(memory_state->dump(), numa::ChecksumCheck::kVerifyNumalign, &error);
  if (!checkpoint) return "memoryManagerState: " + error;
  numa::NodeAdmitter restored = admitter_;
  if (auto problem = RestoreAdmitter(restored, *checkpoint)) return *problem;
  std::map<std::string, PodRecord> records;
  std::uint64_t next = 1;
  auto pods = document.find("pods");
  if (pods == document.end() || !pods->is_array()) return std::string("pods missing");
  for (const auto& value : *pods) {
    auto record = PodRecordFromJson(value, &error);
    if (!record) return error;
    next = std::max(next, record->sequence + 1);
    if (!records.emplace(record->uid, *record).second) return "pod " + record->uid + " twice";
  }
  for (const char* field : {"generation", "nextSequence"}) {
    auto it = document.find(field);
    if (it == document.end() || !it->is_number_unsigned()) {
      return std::string(field) + " must be a non-negative integer";
    }
  }
  admitter_ = std::move(restored);
  records_ = std::move(records);
  next_sequence_ = std::max(next, document["nextSequence"].get<std::uint64_t>());
  generation_ = document["generation"].get<std::uint64_t>();
  return std::nullopt;
}

bool AllocationEngine::RebuildPod(const PodObservation& pod, const numa::PinnedRecord& pinned,
                                  numa::CpuAssignments* cpu_assignments) {
  const std::string& uid = pod.spec.uid;
  if (pinned.pod_uid != uid || pinned.node != options_.node_name) return false;
  const numa::PodRequests requests = numa::ComputePodRequests(pod.spec);
  std::optional<numa::MemoryStaticPolicy> memory = admitter_.memory_policy();
  std::set<int> claimed;
  for (const auto& [other, containers] : *cpu_assignments) {
    for (const auto& [name, set] : containers) {
      for (int cpu : set.ToVector()) claimed.insert(cpu);
    }
  }
  std::set<int> machine_cpus;
  for (const auto& cpu : admitter_.machine().cpus) machine_cpus.insert(cpu.id);
  std::map<std::string, numa::CpuSet> mine;
  for (std::size_t i = 0; i < requests.containers.size(); ++i) {
    const auto& c = requests.containers[i];
    const numa::PinnedContainer* pc = pinned.Find(c.name);
    if (c.exclusive_cpus > 0 && admitter_.cpu_policy()) {
      if (!pc || !pc->exclusive ||
          static_cast<std::int64_t>(pc->sets.cpus.size()) != c.exclusive_cpus) {
        return false;
      }
      for (int cpu : pc->sets.cpus) {
        if (claimed.count(cpu) || !machine_cpus.count(cpu)) return false;
      }
      mine[c.name] = numa::CpuSet::Of(pc->sets.cpus);
    }
    if (!c.memory.empty() && memory) {
      const std::vector<int>& mems = pc ? pc->sets.mems : pinned.pod.mems;
      const numa::NumaMask mask = admitter_.numa_ids().MaskOfIds(mems);
      if (mask.Empty() || mask.Count() != static_cast<int>(mems.size())) return false;
      if (memory->Allocate(requests, i, numa::TopologyHint{mask, true})) return false;
      if (const auto* blocks = memory->Blocks(uid, c.name)) {
        for (const auto& b : *blocks) {
          if (b.affinity != mask) return false;
        }
      }
    }
  }
  if (memory) {
    for (std::size_t i = 0; i < requests.containers.size(); ++i) {
      memory->ContainerStarted(requests, i);
    }
    admitter_.mutable_memory_policy() = std::move(memory);
  }
  if (!mine.empty()) (*cpu_assignments)[uid] = std::move(mine);
  return true;
}

RestoreReport AllocationEngine::Restore(const std::vector<PodObservation>& live_pods,
                                        const PinnedReader& reader) {
  RestoreReport report;
  std::vector<PodObservation> alive;
  for (const auto& pod : live_pods) {
    if (!pod.terminated) alive.push_back(pod);
  }
  std::sort(alive.begin(), alive.end(), AdmissionOrderLess);
  std::set<std::string> alive_uids;
  for (const auto& pod : alive) alive_uids.insert(pod.spec.uid);
  const numa::NodeAdmitter fresh = admitter_;

  auto loaded = store_.Load();
  if (!loaded) {
    if (loaded.error().kind == state::StateErrorKind::kMissing) {
      report.checkpoint = RestoreReport::Checkpoint::kMissing;
    } else {
      report.checkpoint = RestoreReport::Checkpoint::kCorrupted;
      report.problem = loaded.error().ToString();
    }
  } else if (auto problem = LoadDocument(loaded.value())) {
    report.checkpoint = RestoreReport::Checkpoint::kCorrupted;
    report.problem = *problem;
  } else {
    report.checkpoint = RestoreReport::Checkpoint::kRestored;
  }

  if (report.checkpoint == RestoreReport::Checkpoint::kRestored) {
    for (auto it = records_.begin(); it != records_.end();) {
      if (alive_uids.count(it->first)) {
        report.kept.push_back(it->first);
        ++it;
      } else {
        report.released.push_back(it->first);
        ReleasePod(admitter_, it->first);
        it = records_.erase(it);
      }
    }
    // Allocations without a record (a state edited by hand, or an older agent) are released too.
    std::set<std::string> orphans;
    if (admitter_.cpu_policy()) {
      for (const auto& [uid, c] : admitter_.cpu_policy()->Assignments()) orphans.insert(uid);
    }
    if (admitter_.memory_policy()) {
      for (const auto& [uid, c] : admitter_.memory_policy()->assignments()) orphans.insert(uid);
    }
    for (const auto& uid : orphans) {
      if (!records_.count(uid)) {
        ReleasePod(admitter_, uid);
        report.released.push_back(uid);
      }
    }
  } else {
    admitter_ = fresh;
    records_.clear();
  }

  if (report.checkpoint == RestoreReport::Checkpoint::kCorrupted) {
    // Rebuild what is pinned now, so running pods keep their CPUs and memory nodes.
    numa::CpuAssignments cpu_assignments;
    for (const auto& pod : alive) {
      std::optional<numa::PinnedRecord> pinned;
      if (pod.pinned_annotation) {
        std::string ignored;
        pinned = numa::ParsePinnedRecord(*pod.pinned_annotation, &ignored);
      }
      if (!pinned && reader) pinned = reader(pod);
      if (!pinned || !RebuildPod(pod, *pinned, &cpu_assignments)) continue;
      records_[pod.spec.uid] =
          PodRecord{pod.spec.uid,           pod.spec.namespace_name, pod.spec.name,
                    pod.creation_timestamp, next_sequence_++,        PlacementSource::kRebuilt};
      report.rebuilt.push_back(pod.spec.uid);
    }
    if (auto& cpu = admitter_.mutable_cpu_policy(); cpu && !cpu_assignments.empty()) {
      numa::CpuSet shared = cpu->DefaultSet();
      for (const auto& [uid, containers] : cpu_assignments) {
        for (const auto& [name, set] : containers) shared = shared.Difference(set);
      }
      if (cpu->RestoreState(numa::CpuManagerState{shared, cpu_assignments})) {
        // Inconsistent pinnings (overlaps the rules refuse): start over, admit everything.
        admitter_ = fresh;
        records_.clear();
        report.rebuilt.clear();
      }
    }
    ++generation_;
  }

  for (const auto& pod : alive) {
    if (records_.count(pod.spec.uid)) continue;
    // Admit without saving each time; one save below covers the whole start-up.
    const numa::PodRequests requests = numa::ComputePodRequests(pod.spec);
    numa::NodeAdmitter trial = admitter_;
    PlacementSource source = PlacementSource::kKubelet;
    bool placed = false;
    if (pod.allocation_annotation) {
      std::string error;
      auto decision = numa::ParseAllocationDecision(*pod.allocation_annotation, &error);
      if (decision &&
          !numa::ApplyAllocationDecision(trial, requests, *decision, options_.node_name)) {
        placed = true;
        source = PlacementSource::kExtender;
      }
    }
    if (!placed) {
      trial = admitter_;
      placed = trial.Admit(requests).admit;
    }
    if (!placed) {
      report.rejected.push_back(pod.spec.uid);
      continue;
    }
    admitter_ = std::move(trial);
    records_[pod.spec.uid] =
        PodRecord{pod.spec.uid,           pod.spec.namespace_name, pod.spec.name,
                  pod.creation_timestamp, next_sequence_++,        source};
    report.admitted.push_back(pod.spec.uid);
  }
  ++generation_;
  report.save_error = Save();
  return report;
}

}  // namespace numalign::agent
