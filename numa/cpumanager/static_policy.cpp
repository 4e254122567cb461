#include "numa/cpumanager/static_policy.h"

#include <algorithm>

#include "numa/cpumanager/cpu_hints.h"
#include "numa/cpumanager/reserved_cpus.h"
#include "numa/cpumanager/take_by_topology.h"

namespace numalign::numa {
namespace {

constexpr char kCpuResource[] = "cpu";

CpuAllocationError Unexpected(const std::string& cause) {
  return {"UnexpectedAdmissionError", "Allocate failed due to " + cause + ", which is unexpected"};
}

std::string NotEnoughCpus(std::int64_t requested, std::size_t available) {
  return "not enough cpus available to satisfy request: requested=" + std::to_string(requested) +
         ", available=" + std::to_string(available);
}

// The static policy's takeByTopology, with requests beyond the int range answered up front.
TakeResult Take(const CpuTopology& topo, const StaticPolicyOptions& options,
                const CpuSet& available, std::int64_t count) {
  if (count > static_cast<std::int64_t>(available.size())) {
    return {CpuSet(), NotEnoughCpus(count, available.size())};
  }
  return TakeByTopologyForOptions(topo, options, available, static_cast<int>(count));
}

}  // namespace

std::int64_t PodExclusiveCpus(const std::vector<ContainerCpuRequest>& containers) {
  std::int64_t by_init = 0;
  std::int64_t by_sidecars = 0;
  std::int64_t by_apps = 0;
  for (const ContainerCpuRequest& c : containers) {
    const std::int64_t cpus = std::max<std::int64_t>(c.exclusive_cpus, 0);
    switch (c.kind) {
      case ContainerKind::kRestartableInit:
        by_sidecars += cpus;
        break;
      case ContainerKind::kInit:
        // A regular init container runs next to the sidecars started before it.
        by_init = std::max(by_init, by_sidecars + cpus);
        break;
      case ContainerKind::kApp:
        by_apps += cpus;
        break;
    }
  }
  return std::max(by_init, by_apps + by_sidecars);
}

StaticCpuPolicy::StaticCpuPolicy(std::shared_ptr<const Shared> shared)
    : shared_(std::move(shared)) {
  default_set_ = InitialDefaultSet();
}

std::optional<StaticCpuPolicy> StaticCpuPolicy::Create(const Machine& machine,
                                                       const NumaIdMap& numa_ids,
                                                       const CpuManagerConfig& config,
                                                       std::string* error) {
  auto fail = [&](std::string message) -> std::optional<StaticCpuPolicy> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  std::string detail;
  auto topology = CpuTopology::Create(machine, &detail);
  if (!topology) return fail("invalid CPU topology: " + detail);
  for (int numa : topology->NumaIds()) {
    if (numa_ids.PositionOf(numa) < 0) {
      return fail("NUMA node " + std::to_string(numa) +
                  " holds CPUs but is missing from the NUMA id map");
    }
  }
  // The kubelet's order: reservation checks first (kubelet start-up and cpu manager), then the
  // policy options, then the choice of reserved CPUs.
  const auto reservation = ResolveReservation(*topology, config.reserved_system_cpus,
                                              config.reserved_millicpus, &detail);
  if (!reservation) return fail(detail);
  const auto options = ParseStaticPolicyOptions(config.options, config.feature_gates, &detail);
  if (!options) return fail(detail);
  if (auto invalid =
          ValidateStaticPolicyOptions(*options, topology->NumSockets(), topology->NumNumaNodes(),
                                      config.topology_manager_policy)) {
    return fail(*invalid);
  }
  if (options->prefer_align_cpus_by_uncorecache) {
    return fail(
        "prefer-align-cpus-by-uncorecache is not supported: the machine model carries no "
        "uncore-cache information");
  }
  const auto reserved = SelectReservedCpus(*topology, *options, *reservation, &detail);
  if (!reserved) return fail(detail);

  auto shared = std::make_shared<Shared>(Shared{std::move(*topology), numa_ids, *options,
                                                reserved->reserved, reserved->reserved_physical});
  return StaticCpuPolicy(std::move(shared));
}

CpuSet StaticCpuPolicy::InitialDefaultSet() const {
  // strict-cpu-reservation keeps reserved CPUs out of the shared pool too.
  const CpuSet& all = shared_->topology.AllCpus();
  return shared_->options.strict_cpu_reservation ? all.Difference(shared_->reserved) : all;
}

CpuSet StaticCpuPolicy::ReusableCpus(const std::string& pod_uid) const {
  const auto it = cpus_to_reuse_.find(pod_uid);
  return it == cpus_to_reuse_.end() ? CpuSet() : it->second;
}

void StaticCpuPolicy::UpdateCpusToReuse(const std::string& pod_uid, ContainerKind kind,
                                        const CpuSet& cpus) {
  // The kubelet keeps reusable CPUs only for the pod it allocates for right now.
  for (auto it = cpus_to_reuse_.begin(); it != cpus_to_reuse_.end();) {
    it = it->first == pod_uid ? std::next(it) : cpus_to_reuse_.erase(it);
  }
  CpuSet& reusable = cpus_to_reuse_[pod_uid];
  if (kind == ContainerKind::kInit) {
    // A finished init container's CPUs may go to the pod's next containers.
    reusable = reusable.Union(cpus);
  } else {
    // App containers and sidecars keep theirs for the pod's lifetime.
    reusable = reusable.Difference(cpus);
  }
}

ProviderHints StaticCpuPolicy::HintsFor(const CpuSet& available, const CpuSet& reusable,
                                        std::int64_t request) const {
  ProviderHints hints;
  if (request > static_cast<std::int64_t>(shared_->topology.AllCpus().size())) {
    hints.by_resource[kCpuResource] = std::vector<TopologyHint>{};  // nothing can hold it
    return hints;
  }
  hints.by_resource[kCpuResource] =
      GenerateCpuTopologyHints(shared_->topology, shared_->numa_ids, shared_->options, available,
                               reusable, static_cast<int>(request));
  return hints;
}

ProviderHints StaticCpuPolicy::ContainerHints(const std::string& pod_uid,
                                              const std::string& container,
                                              std::int64_t exclusive_cpus) const {
  if (exclusive_cpus <= 0) return {};
  const auto pod = assignments_.find(pod_uid);
  if (pod != assignments_.end()) {
    const auto existing = pod->second.find(container);
    if (existing != pod->second.end()) {
      // Already allocated (e.g. after a restart): regenerate from what it holds, or refuse when
      // the request changed.
      if (static_cast<std::int64_t>(existing->second.size()) != exclusive_cpus) {
        ProviderHints refuse;
        refuse.by_resource[kCpuResource] = std::vector<TopologyHint>{};
        return refuse;
      }
      return HintsFor(existing->second, CpuSet(), exclusive_cpus);
    }
  }
  return HintsFor(AvailableCpus(), ReusableCpus(pod_uid), exclusive_cpus);
}

std::optional<PreferredCpuMasks> StaticCpuPolicy::ContainerPreferredMasks(
    const std::string& pod_uid, const std::string& container, std::int64_t exclusive_cpus) const {
  if (exclusive_cpus <= 0 || shared_->options.align_by_socket) return std::nullopt;
  if (exclusive_cpus > static_cast<std::int64_t>(shared_->topology.AllCpus().size())) {
    return std::nullopt;
  }
  const auto pod = assignments_.find(pod_uid);
  if (pod != assignments_.end() && pod->second.count(container)) return std::nullopt;
  if (cpus_to_reuse_.count(pod_uid) && !cpus_to_reuse_.at(pod_uid).empty()) return std::nullopt;
  return PreferredCpuMasks::Find(shared_->topology, shared_->numa_ids, AvailableCpus(),
                                 static_cast<int>(exclusive_cpus));
}

ProviderHints StaticCpuPolicy::PodHints(const std::string& pod_uid,
                                        const std::vector<ContainerCpuRequest>& containers,
                                        std::int64_t pod_exclusive_cpus) const {
  if (pod_exclusive_cpus <= 0) return {};
  CpuSet assigned;
  const auto pod = assignments_.find(pod_uid);
  if (pod != assignments_.end()) {
    for (const ContainerCpuRequest& c : containers) {
      const auto existing = pod->second.find(c.name);
      if (existing == pod->second.end()) continue;
      if (static_cast<std::int64_t>(existing->second.size()) != c.exclusive_cpus) {
        ProviderHints refuse;
        refuse.by_resource[kCpuResource] = std::vector<TopologyHint>{};
        return refuse;
      }
      assigned = assigned.Union(existing->second);
    }
  }
  if (static_cast<std::int64_t>(assigned.size()) == pod_exclusive_cpus) {
    return HintsFor(assigned, CpuSet(), pod_exclusive_cpus);
  }
  // CPUs the pod already holds count as reusable, so they force their NUMA nodes into the mask.
  return HintsFor(AvailableCpus(), ReusableCpus(pod_uid).Union(assigned), pod_exclusive_cpus);
}

ProviderHints StaticCpuPolicy::PodHints(const std::string& pod_uid,
                                        const std::vector<std::string>& containers,
                                        std::int64_t pod_exclusive_cpus) const {
  std::vector<ContainerCpuRequest> requests;
  const auto pod = assignments_.find(pod_uid);
  for (const std::string& name : containers) {
    ContainerCpuRequest request{name, ContainerKind::kApp, 0};
    if (pod != assignments_.end()) {
      const auto existing = pod->second.find(name);
      if (existing != pod->second.end()) {
        request.exclusive_cpus = static_cast<std::int64_t>(existing->second.size());
      }
    }
    requests.push_back(std::move(request));
  }
  return PodHints(pod_uid, requests, pod_exclusive_cpus);
}

CpuSet StaticCpuPolicy::AlignedCpus(NumaMask mask, const CpuSet& allocatable) const {
  const CpuTopology& topo = shared_->topology;
  const CpuSet numa_cpus = topo.CpusInNumas(shared_->numa_ids.IdsOf(mask));
  if (!shared_->options.align_by_socket) return allocatable.Intersection(numa_cpus);
  // align-by-socket widens the hint to whole sockets.
  CpuSet socket_cpus;
  for (int socket : topo.SocketsOf(numa_cpus)) {
    socket_cpus = socket_cpus.Union(topo.CpusInSocket(socket));
  }
  return allocatable.Intersection(socket_cpus);
}

std::optional<CpuAllocationError> StaticCpuPolicy::CheckFullPhysicalCpus(
    std::int64_t exclusive_cpus) const {
  if (!shared_->options.full_pcpus_only) return std::nullopt;
  const int cpus_per_core = shared_->topology.CpusPerCore();
  if (cpus_per_core > 0 && exclusive_cpus % cpus_per_core != 0) {
    return CpuAllocationError{
        "SMTAlignmentError",
        "SMT Alignment Error: requested " + std::to_string(exclusive_cpus) +
            " cpus not multiple cpus per core = " + std::to_string(cpus_per_core)};
  }
  // Siblings of reserved CPUs count as taken, so whole cores stay whole.
  const std::size_t physical = default_set_.Difference(shared_->reserved_physical).size();
  if (exclusive_cpus > static_cast<std::int64_t>(physical)) {
    return CpuAllocationError{
        "SMTAlignmentError",
        "SMT Alignment Error: not enough free physical CPUs: available physical CPUs = " +
            std::to_string(physical) + ", requested CPUs = " + std::to_string(exclusive_cpus) +
            ", CPUs per core = " + std::to_string(cpus_per_core)};
  }
  return std::nullopt;
}

std::variant<CpuSet, CpuAllocationError> StaticCpuPolicy::TakeFresh(
    const std::string& pod_uid, std::int64_t exclusive_cpus, std::optional<NumaMask> hint) const {
  const CpuTopology& topo = shared_->topology;
  const StaticPolicyOptions& options = shared_->options;
  // Candidates: the free pool plus CPUs the pod's finished init containers left behind.
  const CpuSet allocatable = AvailableCpus().Union(ReusableCpus(pod_uid));
  CpuSet result;
  if (hint) {
    // CPUs on the hint's nodes first; the rest may come from anywhere (only the Topology Manager
    // enforces alignment).
    const CpuSet aligned = AlignedCpus(*hint, allocatable);
    const std::int64_t from_aligned =
        std::min<std::int64_t>(exclusive_cpus, static_cast<std::int64_t>(aligned.size()));
    const TakeResult taken = Take(topo, options, aligned, from_aligned);
    if (!taken.ok()) return Unexpected(taken.error);
    result = taken.cpus;
  }
  const TakeResult rest = Take(topo, options, allocatable.Difference(result),
                               exclusive_cpus - static_cast<std::int64_t>(result.size()));
  if (!rest.ok()) return Unexpected(rest.error);
  return result.Union(rest.cpus);
}

std::variant<CpuSet, CpuAllocationError> StaticCpuPolicy::PlanAllocation(
    const std::string& pod_uid, const std::string& container, std::int64_t exclusive_cpus,
    std::optional<NumaMask> hint) const {
  if (exclusive_cpus <= 0) return CpuSet();
  if (auto error = CheckFullPhysicalCpus(exclusive_cpus)) return *error;
  CpuSet existing = Assigned(pod_uid, container);
  if (!existing.empty()) return existing;
  return TakeFresh(pod_uid, exclusive_cpus, hint);
}

std::optional<CpuAllocationError> StaticCpuPolicy::Allocate(const std::string& pod_uid,
                                                            const std::string& container,
                                                            ContainerKind kind,
                                                            std::int64_t exclusive_cpus,
                                                            std::optional<NumaMask> hint) {
  if (exclusive_cpus <= 0) return std::nullopt;  // shared pool
  if (auto error = CheckFullPhysicalCpus(exclusive_cpus)) return error;
  const CpuSet existing = Assigned(pod_uid, container);
  if (!existing.empty()) {
    UpdateCpusToReuse(pod_uid, kind, existing);
    return std::nullopt;
  }
  auto taken = TakeFresh(pod_uid, exclusive_cpus, hint);
  if (auto* error = std::get_if<CpuAllocationError>(&taken)) return *error;
  const CpuSet& result = std::get<CpuSet>(taken);
  default_set_ = default_set_.Difference(result);
  assignments_[pod_uid][container] = result;
  UpdateCpusToReuse(pod_uid, kind, result);
  return std::nullopt;
}

void StaticCpuPolicy::RemoveContainer(const std::string& pod_uid, const std::string& container) {
  const auto pod = assignments_.find(pod_uid);
  if (pod == assignments_.end()) return;
  const auto entry = pod->second.find(container);
  if (entry == pod->second.end()) return;
  CpuSet in_use_by_siblings;
  for (const auto& [name, cpus] : pod->second) {
    if (name != container) in_use_by_siblings = in_use_by_siblings.Union(cpus);
  }
  const CpuSet released = entry->second.Difference(in_use_by_siblings);
  pod->second.erase(entry);
  if (pod->second.empty()) assignments_.erase(pod);
  default_set_ = default_set_.Union(released);
}

void StaticCpuPolicy::RemovePod(const std::string& pod_uid) {
  const auto pod = assignments_.find(pod_uid);
  if (pod == assignments_.end()) return;
  std::vector<std::string> names;
  for (const auto& [name, cpus] : pod->second) names.push_back(name);
  for (const std::string& name : names) RemoveContainer(pod_uid, name);
}

CpuSet StaticCpuPolicy::Assigned(const std::string& pod_uid, const std::string& container) const {
  const auto pod = assignments_.find(pod_uid);
  if (pod == assignments_.end()) return {};
  const auto entry = pod->second.find(container);
  return entry == pod->second.end() ? CpuSet() : entry->second;
}

std::optional<std::string> StaticCpuPolicy::RestoreState(const CpuManagerState& state) {
  const CpuSet& all = shared_->topology.AllCpus();
  const CpuSet& reserved = shared_->reserved;
  const bool strict = shared_->options.strict_cpu_reservation;

  if (!state.default_set.IsSubsetOf(all)) {
    return "default cpuset \"" + state.default_set.ToString() + "\" holds CPUs not on the machine";
  }
  CpuSet assigned_to_earlier_pods;
  CpuSet known = state.default_set;
  for (const auto& [pod, containers] : state.assignments) {
    CpuSet pod_cpus;
    for (const auto& [container, cpus] : containers) {
      if (!cpus.IsSubsetOf(all)) {
        return "pod: " + pod + ", container: " + container + " cpuset: \"" + cpus.ToString() +
               "\" holds CPUs not on the machine";
      }
      if (cpus.Intersects(state.default_set)) {
        return "pod: " + pod + ", container: " + container + " cpuset: \"" + cpus.ToString() +
               "\" overlaps with default cpuset \"" + state.default_set.ToString() + "\"";
      }
      if (cpus.Intersects(reserved)) {
        return "pod: " + pod + ", container: " + container + " cpuset: \"" + cpus.ToString() +
               "\" holds reserved cpus \"" + reserved.ToString() + "\"";
      }
      pod_cpus = pod_cpus.Union(cpus);
    }
    // Containers of one pod may share CPUs (init-container reuse); different pods may not.
    if (pod_cpus.Intersects(assigned_to_earlier_pods)) {
      return "pod: " + pod + " cpuset: \"" + pod_cpus.ToString() +
             "\" overlaps with CPUs assigned to other pods";
    }
    assigned_to_earlier_pods = assigned_to_earlier_pods.Union(pod_cpus);
    known = known.Union(pod_cpus);
  }

  if (state.default_set.empty() && state.assignments.empty()) {  // fresh start
    default_set_ = InitialDefaultSet();
    assignments_.clear();
    cpus_to_reuse_.clear();
    return std::nullopt;
  }
  // Without strict-cpu-reservation the reserved CPUs always stay shared, so an empty pool is
  // corrupt. With it, a fully assigned node legitimately has an empty pool; the kubelet's
  // validateState would still refuse that at restart - we accept it.
  if (!strict && state.default_set.empty()) return "default cpuset cannot be empty";
  if (strict) {
    if (reserved.Intersects(state.default_set)) {
      return "some of strictly reserved cpus: \"" +
             reserved.Intersection(state.default_set).ToString() +
             "\" are present in defaultCpuSet: \"" + state.default_set.ToString() + "\"";
    }
  } else if (!reserved.IsSubsetOf(state.default_set)) {
    return "not all reserved cpus: \"" + reserved.ToString() +
           "\" are present in defaultCpuSet: \"" + state.default_set.ToString() + "\"";
  }
  const CpuSet expected = strict ? all.Difference(reserved) : all;
  if (!(known == expected)) {
    return "current set of available CPUs \"" + expected.ToString() +
           "\" doesn't match with CPUs in state \"" + known.ToString() + "\"";
  }
  default_set_ = state.default_set;
  assignments_ = state.assignments;
  cpus_to_reuse_.clear();
  return std::nullopt;
}

}  // namespace numalign::numa
