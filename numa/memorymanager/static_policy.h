#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "numa/memorymanager/machine_state.h"
#include "numa/memorymanager/memory_blocks.h"
#include "numa/memorymanager/narrowest_memory_hint.h"
#include "numa/memorymanager/preferred_memory_masks.h"
#include "numa/pod/pod_requests.h"
#include "numa/topologymanager/hint.h"

namespace numalign::numa {

// The Memory Manager's Static policy (pkg/kubelet/cm/memorymanager/policy_static.go, v1.32):
// hints, allocation with default/extended hints and the single-vs-cross NUMA rule, release, and
// init-container memory reuse. Errors are the kubelet's own texts.
class MemoryStaticPolicy {
 public:
  // Largest machine accepted: hint generation is exponential in the number of NUMA nodes.
  static constexpr std::size_t kMaxNumaNodes = 24;

  // Fails with "[memorymanager] you should specify the system reserved memory" when no `memory`
  // is reserved on any node, as NewPolicyStatic does.
  static std::optional<MemoryStaticPolicy> Create(const Machine& machine, const NumaIdMap& ids,
                                                  const SystemReservedMemory& reserved,
                                                  std::string* error);

  // GetTopologyHints / GetPodTopologyHints. Non-Guaranteed pods: no keys (no preference).
  ProviderHints ContainerHints(const PodRequests& pod, std::size_t container) const;
  ProviderHints PodHints(const PodRequests& pod) const;
  // The preferred hints of ContainerHints without its list of every mask (see
  // PreferredMemoryMasks), or nullopt when that shortcut does not describe them: a pod that is
  // not Guaranteed, a malformed or empty request, a container that already holds blocks, or
  // reusable init-container memory of this pod. References this policy: use it at once.
  std::optional<PreferredMemoryMasks> ContainerPreferredMasks(const PodRequests& pod,
                                                              std::size_t container) const;

  // Allocate for one container given the Topology Manager's stored hint. nullopt on success,
  // else the memory manager's error text (the caller wraps it as UnexpectedAdmissionError).
  std::optional<std::string> Allocate(const PodRequests& pod, std::size_t container,
                                      const TopologyHint& hint);

  // What Allocate would do for a Guaranteed pod's container, without doing it: the NUMA mask of
  // its blocks, or Allocate's error text.
  std::variant<NumaMask, std::string> PlanAllocation(const PodRequests& pod, std::size_t container,
                                                     const TopologyHint& hint) const;

  // RemoveContainer: releases the blocks greedily from the lowest node ids.
  void RemoveContainer(const std::string& pod_uid, const std::string& container);
  void RemovePod(const std::string& pod_uid);
  // The memory manager's AddContainer: starting a container releases the regular init
  // containers declared before it (they have run to completion).
  void ContainerStarted(const PodRequests& pod, std::size_t container);

  const std::vector<MemoryBlock>* Blocks(const std::string& pod_uid,
                                         const std::string& container) const;
  const MemoryMachineState& machine_state() const { return state_; }
  const MemoryAssignments& assignments() const { return assignments_; }
  // The state rebuilt from a checkpoint (kept only after validation, see state_validation.h).
  void Restore(MemoryMachineState state, MemoryAssignments assignments);
  const SystemReservedMemory& system_reserved() const { return reserved_; }
  // The machine state of an empty node (getDefaultMachineState).
  const MemoryMachineState& default_state() const { return *default_state_; }

  // Exposed for explanations: the masks calculateHints offers for `request`, each with its
  // preferred flag (same for every type), before keys are attached.
  std::vector<TopologyHint> CalculateHintList(const std::string& pod_uid,
                                              const MemoryRequest& request) const;
  // FindBestMemoryHint over the CalculateHintList masks that contain `within` (all of them when
  // it is empty), without listing every mask (see FindNarrowestMemoryHint); nullopt when there
  // are none.
  std::optional<TopologyHint> NarrowestHint(const std::string& pod_uid,
                                            const MemoryRequest& request, NumaMask within) const;

 private:
  std::vector<TopologyHint> CalculateHintListOrdered(const std::string& pod_uid,
                                                     const MemoryRequest& request) const;
  std::vector<TopologyHint> CalculateHintListGeneric(const std::string& pod_uid,
                                                     const MemoryRequest& request) const;
  ProviderHints HintsFor(const std::string& pod_uid, const MemoryRequest& request) const;
  std::uint64_t ReusableBytes(const std::string& pod_uid, NumaMask mask,
                              const std::string& type) const;
  bool SatisfiesRequest(NumaMask mask, const MemoryRequest& request) const;
  bool ViolatesGroups(NumaMask mask) const;
  void Reserve(NumaMask mask, int resource, std::uint64_t bytes);
  void UpdateReusable(const PodRequests& pod, const ContainerRequest& c,
                      const std::vector<MemoryBlock>& blocks);
  void ShrinkInitBlocks(const PodRequests& pod, const ContainerRequest& c,
                        const std::vector<MemoryBlock>& blocks);

  MemoryMachineState state_;
  std::shared_ptr<const MemoryMachineState> default_state_;
  MemoryAssignments assignments_;
  SystemReservedMemory reserved_;
  // initContainersReusableMemory: kept for one pod at a time, like upstream.
  std::string reusable_pod_;
  std::vector<ReusableMemory> reusable_;
};

// findBestHint: preferred first, then IsNarrowerThan; the first element when nothing beats it.
TopologyHint FindBestMemoryHint(const std::vector<TopologyHint>& hints);

// regenerateHints for a container (or pod) that already holds blocks: its masks, always
// preferred; no keys (no preference) when the blocks do not match the request exactly.
ProviderHints RegenerateMemoryHints(const std::vector<MemoryBlock>& blocks,
                                    const MemoryRequest& request);

}  // namespace numalign::numa
