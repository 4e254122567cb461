#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "numa/cpumanager/container_kind.h"
#include "numa/cpumanager/cpu_topology.h"
#include "numa/cpumanager/cpuset.h"
#include "numa/cpumanager/policy_options.h"
#include "numa/cpumanager/preferred_cpu_masks.h"
#include "numa/topology/machine.h"
#include "numa/topology/numa_id_map.h"
#include "numa/topologymanager/bitmask.h"
#include "numa/topologymanager/hint.h"

namespace numalign::numa {

struct CpuManagerConfig {
  // kubelet reservedSystemCPUs, cpuset syntax; when set and not empty it decides the reservation.
  std::optional<std::string> reserved_system_cpus;
  // systemReserved.cpu + kubeReserved.cpu in millicores; used when reserved_system_cpus is unset:
  // rounded up to whole CPUs, chosen the kubelet's way.
  std::int64_t reserved_millicpus = 0;
  // cpuManagerPolicyOptions, validated like the kubelet (see policy_options.h).
  std::map<std::string, std::string> options;
  // Feature gates, e.g. CPUManagerPolicyAlphaOptions (default off), CPUManagerPolicyBetaOptions
  // (default on).
  std::map<std::string, bool> feature_gates;
  // The node's Topology Manager policy; only align-by-socket's validation reads it.
  std::string topology_manager_policy = "none";
};

// Why Allocate refused, as the pod's admission result shows it.
struct CpuAllocationError {
  std::string reason;   // "SMTAlignmentError" or "UnexpectedAdmissionError"
  std::string message;  // the kubelet's text
  bool operator==(const CpuAllocationError&) const = default;
};

// One container of a pod, for pod-level questions.
struct ContainerCpuRequest {
  std::string name;
  ContainerKind kind = ContainerKind::kApp;
  // Integer CPU request when the pod is Guaranteed and the request is whole, else 0.
  std::int64_t exclusive_cpus = 0;
};

// The kubelet's podGuaranteedCPUs: the larger of (app containers + sidecars) and, over regular
// init containers, (sidecars started before it + its own request). `containers`: init containers
// in spec order, then app containers.
std::int64_t PodExclusiveCpus(const std::vector<ContainerCpuRequest>& containers);

// Exclusive CPUs per pod uid and container name.
using CpuAssignments = std::map<std::string, std::map<std::string, CpuSet>>;

// What the kubelet checkpoints in cpu_manager_state.
struct CpuManagerState {
  CpuSet default_set;  // the shared pool
  CpuAssignments assignments;
  bool operator==(const CpuManagerState&) const = default;
};

// The kubelet v1.32 CPU Manager `static` policy of one node: its hint provider and its allocator.
// A value type; copying is cheap (the machine-derived part is shared and immutable).
class StaticCpuPolicy {
 public:
  static std::optional<StaticCpuPolicy> Create(const Machine& machine, const NumaIdMap& numa_ids,
                                               const CpuManagerConfig& config, std::string* error);

  // GetTopologyHints. exclusive_cpus: the container's integer CPU request when the pod is
  // Guaranteed and the request is whole; 0 means shared pool -> no keys (no preference).
  ProviderHints ContainerHints(const std::string& pod_uid, const std::string& container,
                               std::int64_t exclusive_cpus) const;

  // The preferred hints of ContainerHints without its list of every mask (see
  // PreferredCpuMasks), or nullopt when that shortcut does not describe them: the container
  // already holds CPUs, the pod has CPUs to reuse, align-by-socket is on, or the request is not
  // for exclusive CPUs or exceeds the machine.
  std::optional<PreferredCpuMasks> ContainerPreferredMasks(const std::string& pod_uid,
                                                           const std::string& container,
                                                           std::int64_t exclusive_cpus) const;

  // GetPodTopologyHints. pod_exclusive_cpus = PodExclusiveCpus(...) (0 -> no keys). Existing
  // assignments of the listed containers are regenerated; a container whose assignment differs
  // from its own request gives {"cpu": []}. This overload knows each container's request.
  ProviderHints PodHints(const std::string& pod_uid,
                         const std::vector<ContainerCpuRequest>& containers,
                         std::int64_t pod_exclusive_cpus) const;
  // Same with names only: every existing assignment is taken as matching its container's request
  // (use the overload above to detect mismatches after a restart).
  ProviderHints PodHints(const std::string& pod_uid, const std::vector<std::string>& containers,
                         std::int64_t pod_exclusive_cpus) const;

  // Allocate. hint: the Topology Manager's stored affinity for this container (nullopt = no
  // affinity). Returns nullopt on success. Does nothing (success) for exclusive_cpus <= 0.
  std::optional<CpuAllocationError> Allocate(const std::string& pod_uid,
                                             const std::string& container, ContainerKind kind,
                                             std::int64_t exclusive_cpus,
                                             std::optional<NumaMask> hint);

  // What Allocate would do, without doing it: the CPUs the container holds afterwards (empty for
  // the shared pool), or Allocate's error.
  std::variant<CpuSet, CpuAllocationError> PlanAllocation(const std::string& pod_uid,
                                                          const std::string& container,
                                                          std::int64_t exclusive_cpus,
                                                          std::optional<NumaMask> hint) const;

  // Releases the container's CPUs to the shared pool, except those a sibling container of the same
  // pod still holds (init-container CPUs reused by app containers).
  void RemoveContainer(const std::string& pod_uid, const std::string& container);
  // Removes every container of the pod.
  void RemovePod(const std::string& pod_uid);

  CpuSet Assigned(const std::string& pod_uid, const std::string& container) const;
  CpuSet DefaultSet() const { return default_set_; }  // the shared pool
  CpuSet Reserved() const { return shared_->reserved; }
  CpuSet ReservedPhysical() const { return shared_->reserved_physical; }
  CpuSet AllCpus() const { return shared_->topology.AllCpus(); }
  CpuSet AvailableCpus() const { return default_set_.Difference(shared_->reserved); }
  const CpuAssignments& Assignments() const { return assignments_; }
  const StaticPolicyOptions& Options() const { return shared_->options; }
  const CpuTopology& Topology() const { return shared_->topology; }

  // Checkpoint and restore. RestoreState validates like the kubelet's validateState (every id on
  // the machine, assignments disjoint from the shared pool and from other pods' assignments,
  // reserved CPUs in the shared pool - or, with strict-cpu-reservation, in neither - and every CPU
  // accounted for) and returns the error text, leaving the policy untouched, when it fails. An
  // empty shared pool without assignments means "fresh" and resets to the initial state. One
  // deliberate difference: under strict-cpu-reservation an empty pool with assignments (every
  // CPU assigned) is accepted, where the kubelet's restart check would refuse it.
  CpuManagerState State() const { return {default_set_, assignments_}; }
  std::optional<std::string> RestoreState(const CpuManagerState& state);

 private:
  struct Shared {
    CpuTopology topology;
    NumaIdMap numa_ids;
    StaticPolicyOptions options;
    CpuSet reserved;
    CpuSet reserved_physical;
  };
  explicit StaticCpuPolicy(std::shared_ptr<const Shared> shared);

  CpuSet InitialDefaultSet() const;
  CpuSet ReusableCpus(const std::string& pod_uid) const;
  void UpdateCpusToReuse(const std::string& pod_uid, ContainerKind kind, const CpuSet& cpus);
  ProviderHints HintsFor(const CpuSet& available, const CpuSet& reusable,
                         std::int64_t request) const;
  CpuSet AlignedCpus(NumaMask mask, const CpuSet& allocatable) const;
  // full-pcpus-only's SMT alignment checks.
  std::optional<CpuAllocationError> CheckFullPhysicalCpus(std::int64_t exclusive_cpus) const;
  // The CPUs a container without an assignment receives.
  std::variant<CpuSet, CpuAllocationError> TakeFresh(const std::string& pod_uid,
                                                     std::int64_t exclusive_cpus,
                                                     std::optional<NumaMask> hint) const;

  std::shared_ptr<const Shared> shared_;
  CpuSet default_set_;
  CpuAssignments assignments_;
  // CPUs of finished init containers that the pod's next containers may take again. Like the
  // kubelet, only the pod allocated last keeps an entry, and it is not checkpointed.
  std::map<std::string, CpuSet> cpus_to_reuse_;
};

}  // namespace numalign::numa
