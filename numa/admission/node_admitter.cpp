#include "numa/admission/node_admitter.h"

#include <variant>

#include "numa/admission/cpu_container_kind.h"
#include "numa/admission/preferred_merge.h"
#include "numa/memorymanager/state_validation.h"

namespace numalign::numa {
namespace {

constexpr const char* kTopologyAffinityError = "TopologyAffinityError";
constexpr const char* kTopologyAffinityMessage =
    "Resources cannot be allocated with Topology locality";
constexpr const char* kUnexpected = "UnexpectedAdmissionError";

std::string UnexpectedMessage(const std::string& err) {
  return "Allocate failed due to " + err + ", which is unexpected";
}

AdmitResult Reject(std::string reason, std::string message, std::string container) {
  AdmitResult r;
  r.admit = false;
  r.reason = std::move(reason);
  r.message = std::move(message);
  r.failed_container = std::move(container);
  return r;
}

AdmitResult RejectCpu(const CpuAllocationError& err, const std::string& container) {
  std::string message = err.message;
  if (err.reason == kUnexpected && message.rfind("Allocate failed due to ", 0) != 0) {
    message = UnexpectedMessage(message);
  }
  return Reject(err.reason, message, container);
}

}  // namespace

std::optional<NodeAdmitter> NodeAdmitter::Create(const Machine& machine,
                                                 const KubeletNumaConfig& config,
                                                 std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  auto ids = NumaIdMap::Create(machine.node_ids(), error);
  if (!ids) return std::nullopt;
  auto policy_name = ParseTopologyPolicyName(config.topology_manager_policy, error);
  if (!policy_name) return std::nullopt;
  auto scope = ParseTopologyScopeName(config.topology_manager_scope, error);
  if (!scope) return std::nullopt;
  auto options = ParseTopologyPolicyOptions(config.topology_manager_policy_options,
                                            config.feature_gates, error);
  if (!options) return std::nullopt;
  auto topology = TopologyPolicy::Create(*policy_name, *options, machine, *ids, error);
  if (!topology) return std::nullopt;

  NodeAdmitter a;
  a.shared_ = std::make_shared<const Shared>(Shared{machine, *ids, *topology, *scope});

  if (config.cpu_manager_policy == "static") {
    CpuManagerConfig cpu;
    cpu.reserved_system_cpus = config.reserved_system_cpus;
    std::int64_t milli = 0;
    for (const auto* list : {&config.system_reserved, &config.kube_reserved}) {
      auto it = list->find("cpu");
      if (it != list->end()) milli += it->second.MilliValueCeil();
    }
    cpu.reserved_millicpus = milli;
    cpu.options = config.cpu_manager_policy_options;
    cpu.feature_gates = config.feature_gates;
    cpu.topology_manager_policy = config.topology_manager_policy;
    std::string why;
    a.cpu_ = StaticCpuPolicy::Create(machine, *ids, cpu, &why);
    if (!a.cpu_) {
      *error = "cpu manager: " + why;
      return std::nullopt;
    }
  } else if (config.cpu_manager_policy != "none" && !config.cpu_manager_policy.empty()) {
    *error = "unknown policy: \"" + config.cpu_manager_policy + "\"";
    return std::nullopt;
  }

  if (config.memory_manager_policy == "Static") {
    auto problems = ValidateReservedMemoryConfig(config.reserved_memory);
    if (!problems.empty()) {
      *error = problems.front();
      for (std::size_t i = 1; i < problems.size(); ++i) *error += ", " + problems[i];
      return std::nullopt;
    }
    NodeAllocatableReservation allocatable{config.system_reserved, config.kube_reserved,
                                           config.eviction_hard};
    auto reserved =
        ComputeSystemReservedMemory(machine, config.reserved_memory, allocatable, error);
    if (!reserved) return std::nullopt;
    a.memory_ = MemoryStaticPolicy::Create(machine, *ids, *reserved, error);
    if (!a.memory_) return std::nullopt;
  } else if (config.memory_manager_policy != "None" && !config.memory_manager_policy.empty()) {
    *error = "unknown policy: \"" + config.memory_manager_policy + "\"";
    return std::nullopt;
  }
  return a;
}

std::optional<AdmitResult> NodeAdmitter::AllocateContainer(const PodRequests& pod,
                                                           std::size_t index,
                                                           const TopologyHint& hint) {
  const auto& c = pod.containers[index];
  // Registration order of the providers: (device,) CPU, memory; the first error wins.
  if (cpu_) {
    auto err =
        cpu_->Allocate(pod.uid, c.name, CpuContainerKind(c.role), c.exclusive_cpus, hint.affinity);
    if (err) return RejectCpu(*err, c.name);
  }
  if (memory_) {
    auto err = memory_->Allocate(pod, index, hint);
    if (err) return Reject(kUnexpected, UnexpectedMessage(*err), c.name);
  }
  return std::nullopt;
}

std::optional<PolicyDecision> NodeAdmitter::PreferredDecision(const PodRequests& pod,
                                                              std::size_t index) const {
  if (!cpu_ || !memory_) return std::nullopt;
  const auto& c = pod.containers[index];
  const auto cpu = cpu_->ContainerPreferredMasks(pod.uid, c.name, c.exclusive_cpus);
  if (!cpu) return std::nullopt;
  const auto memory = memory_->ContainerPreferredMasks(pod, index);
  if (!memory) return std::nullopt;
  return MergePreferredMasks(shared_->topology, *cpu, *memory);
}

AdmitResult NodeAdmitter::Evaluate(const PodRequests& pod) const {
  if (auto result = EvaluateWithoutCopy(pod)) return std::move(*result);
  NodeAdmitter scratch = *this;
  return scratch.Admit(pod);
}

std::optional<AdmitResult> NodeAdmitter::EvaluateWithoutCopy(const PodRequests& pod) const {
  // One container the node knows nothing of, in container scope: its admission is one merge and
  // one Allocate per provider, which can be planned on the unchanged state. Anything else (init
  // containers releasing memory, several merges in sequence, state left by an earlier attempt)
  // runs the real admission on a copy.
  if (pod.containers.size() != 1 || shared_->scope != TopologyScopeName::kContainer) {
    return std::nullopt;
  }
  if (!cpu_ || !memory_ || cpu_->Assignments().count(pod.uid) ||
      memory_->assignments().count(pod.uid)) {
    return std::nullopt;
  }
  const auto decision = PreferredDecision(pod, 0);
  if (!decision) return std::nullopt;
  const auto& c = pod.containers[0];
  const TopologyHint& hint = decision->best;
  auto cpus = cpu_->PlanAllocation(pod.uid, c.name, c.exclusive_cpus, hint.affinity);
  if (const auto* err = std::get_if<CpuAllocationError>(&cpus)) return RejectCpu(*err, c.name);
  auto mask = memory_->PlanAllocation(pod, 0, hint);
  if (const auto* err = std::get_if<std::string>(&mask)) {
    return Reject(kUnexpected, UnexpectedMessage(*err), c.name);
  }
  // What Collect and the stored hints report after Admit.
  AdmitResult result;
  result.admit = true;
  ContainerAllocation& allocation = result.containers[c.name];
  allocation.cpus = std::get<CpuSet>(cpus).ToVector();
  const std::vector<int> memory_ids = shared_->ids.IdsOf(std::get<NumaMask>(mask));
  for (const auto& [type, bytes] : c.memory) allocation.memory_numa[type] = memory_ids;
  StoredHint& stored = result.hints[c.name];
  if (hint.affinity) stored.numa_nodes = shared_->ids.IdsOf(*hint.affinity);
  stored.preferred = hint.preferred;
  return result;
}

AdmitResult NodeAdmitter::Admit(const PodRequests& pod, bool trace) {
  AdmitResult result;
  const TopologyPolicy& tm = shared_->topology;
  std::vector<TopologyHint> stored(pod.containers.size());
  auto fail = [&](AdmitResult r) {
    r.trace = std::move(result.trace);
    Release(pod.uid);
    return r;
  };
  if (tm.name() == TopologyPolicyName::kNone) {
    // No merge: every container is allocated with an empty hint (nil, not preferred).
    for (std::size_t i = 0; i < pod.containers.size(); ++i) {
      if (auto r = AllocateContainer(pod, i, TopologyHint{})) return fail(*r);
    }
  } else if (shared_->scope == TopologyScopeName::kContainer) {
    for (std::size_t i = 0; i < pod.containers.size(); ++i) {
      const auto& c = pod.containers[i];
      if (!trace) {
        if (auto d = PreferredDecision(pod, i)) {
          stored[i] = d->best;
          if (auto r = AllocateContainer(pod, i, d->best)) return fail(*r);
          continue;
        }
      }
      std::vector<ProviderHints> providers;
      if (cpu_) providers.push_back(cpu_->ContainerHints(pod.uid, c.name, c.exclusive_cpus));
      if (memory_) providers.push_back(memory_->ContainerHints(pod, i));
      PolicyDecision d = trace ? tm.Merge(providers) : tm.Merge(std::move(providers));
      if (trace) {
        MergeTrace t{c.name, std::nullopt, std::nullopt, d.best, d.admit};
        std::size_t k = 0;
        if (cpu_) t.cpu = providers[k++];
        if (memory_) t.memory = providers[k++];
        result.trace.push_back(std::move(t));
      }
      if (!d.admit) return fail(Reject(kTopologyAffinityError, kTopologyAffinityMessage, c.name));
      stored[i] = d.best;
      if (auto r = AllocateContainer(pod, i, d.best)) return fail(*r);
    }
  } else {
    std::vector<ProviderHints> providers;
    if (cpu_) {
      std::vector<ContainerCpuRequest> cpu_requests;
      cpu_requests.reserve(pod.containers.size());
      for (const auto& c : pod.containers) {
        cpu_requests.push_back(
            ContainerCpuRequest{c.name, CpuContainerKind(c.role), c.exclusive_cpus});
      }
      providers.push_back(cpu_->PodHints(pod.uid, cpu_requests, pod.pod_exclusive_cpus));
    }
    if (memory_) providers.push_back(memory_->PodHints(pod));
    PolicyDecision d = trace ? tm.Merge(providers) : tm.Merge(std::move(providers));
    if (trace) {
      MergeTrace t{"pod", std::nullopt, std::nullopt, d.best, d.admit};
      std::size_t k = 0;
      if (cpu_) t.cpu = providers[k++];
      if (memory_) t.memory = providers[k++];
      result.trace.push_back(std::move(t));
    }
    if (!d.admit) {
      return fail(Reject(kTopologyAffinityError, kTopologyAffinityMessage,
                         pod.containers.empty() ? "" : pod.containers.front().name));
    }
    for (std::size_t i = 0; i < pod.containers.size(); ++i) {
      stored[i] = d.best;
      if (auto r = AllocateContainer(pod, i, d.best)) return fail(*r);
    }
  }
  result.admit = true;
  Collect(pod, &result);
  for (std::size_t i = 0; i < pod.containers.size(); ++i) {
    StoredHint& h = result.hints[pod.containers[i].name];
    if (stored[i].affinity) h.numa_nodes = shared_->ids.IdsOf(*stored[i].affinity);
    h.preferred = stored[i].preferred;
  }
  // The pod now starts: each container start releases the memory of the regular init
  // containers before it (they ran to completion); their CPUs stay until the pod goes.
  if (memory_) {
    for (std::size_t i = 0; i < pod.containers.size(); ++i) memory_->ContainerStarted(pod, i);
  }
  uid_by_key_[pod.key] = pod.uid;
  return result;
}

void NodeAdmitter::Collect(const PodRequests& pod, AdmitResult* result) const {
  for (const auto& c : pod.containers) {
    ContainerAllocation a;
    bool any = false;
    if (cpu_) {
      CpuSet cpus = cpu_->Assigned(pod.uid, c.name);
      if (!cpus.empty()) {
        a.cpus = cpus.ToVector();
        any = true;
      }
    }
    if (memory_) {
      if (const auto* blocks = memory_->Blocks(pod.uid, c.name)) {
        for (const auto& b : *blocks) a.memory_numa[b.type] = shared_->ids.IdsOf(b.affinity);
        any = true;
      }
    }
    if (any) result->containers[c.name] = std::move(a);
  }
}

void NodeAdmitter::Release(const std::string& uid) {
  if (cpu_) cpu_->RemovePod(uid);
  if (memory_) memory_->RemovePod(uid);
}

bool NodeAdmitter::HasPod(const std::string& pod_key_or_uid) const {
  if (uid_by_key_.count(pod_key_or_uid)) return true;
  for (const auto& [key, uid] : uid_by_key_) {
    if (uid == pod_key_or_uid) return true;
  }
  return false;
}

bool NodeAdmitter::Remove(const std::string& pod_key_or_uid) {
  auto it = uid_by_key_.find(pod_key_or_uid);
  if (it == uid_by_key_.end()) {
    for (it = uid_by_key_.begin(); it != uid_by_key_.end(); ++it) {
      if (it->second == pod_key_or_uid) break;
    }
  }
  if (it == uid_by_key_.end()) return false;
  Release(it->second);
  uid_by_key_.erase(it);
  return true;
}

MemoryCheckpoint NodeAdmitter::Checkpoint() const {
  MemoryCheckpoint c;
  if (memory_) {
    c = CheckpointOf(*memory_);
  } else {
    c.policy_name = "None";
  }
  if (cpu_) {
    CpuManagerState state = cpu_->State();
    c.cpu_default_set = state.default_set.ToString();
    for (const auto& [pod, containers] : state.assignments) {
      for (const auto& [container, set] : containers)
        c.cpu_entries[pod][container] = set.ToString();
    }
  }
  return c;
}

std::optional<std::string> NodeAdmitter::Restore(const MemoryCheckpoint& checkpoint) {
  std::optional<MemoryStaticPolicy> memory = memory_;
  std::optional<StaticCpuPolicy> cpu = cpu_;
  if (memory) {
    if (auto err = RestoreMemoryPolicy(*memory, checkpoint)) return err;
  } else if (checkpoint.policy_name != "None") {
    return "[memorymanager] configured policy \"None\" differs from state checkpoint policy \"" +
           checkpoint.policy_name + "\"";
  }
  if (cpu && checkpoint.cpu_default_set) {
    CpuManagerState state;
    std::string why;
    auto shared = CpuSet::Parse(*checkpoint.cpu_default_set, &why);
    if (!shared) return "cpu manager state: " + why;
    state.default_set = *shared;
    for (const auto& [pod, containers] : checkpoint.cpu_entries) {
      for (const auto& [container, text] : containers) {
        auto set = CpuSet::Parse(text, &why);
        if (!set) return "cpu manager state: " + why;
        state.assignments[pod][container] = *set;
      }
    }
    if (auto err = cpu->RestoreState(state)) return err;
  }
  memory_ = std::move(memory);
  cpu_ = std::move(cpu);
  uid_by_key_.clear();
  for (const auto& [pod, containers] : checkpoint.entries) uid_by_key_[pod] = pod;
  for (const auto& [pod, containers] : checkpoint.cpu_entries) uid_by_key_[pod] = pod;
  return std::nullopt;
}

}  // namespace numalign::numa
