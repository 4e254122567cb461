#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "numa/admission/admit_result.h"
#include "numa/admission/kubelet_config.h"
#include "numa/cpumanager/static_policy.h"
#include "numa/memorymanager/checkpoint.h"
#include "numa/memorymanager/static_policy.h"
#include "numa/pod/pod_requests.h"
#include "numa/pod/pod_spec.h"
#include "numa/topology/machine.h"
#include "numa/topology/numa_id_map.h"
#include "numa/topologymanager/topology_policy.h"

namespace numalign::numa {

// One node's NUMA admission exactly as the kubelet v1.32 decides it: the Topology Manager
// (policy + scope) over the CPU Manager (static) and Memory Manager (Static) hint providers,
// then their Allocate calls, with the node's allocation state carried from pod to pod.
//
// A value type: copying it clones the node state (machine-derived data is shared), so the
// extender can evaluate a pod against a throw-away copy and the agent/simulator keep one per node.
class NodeAdmitter {
 public:
  // Validates the configuration with the kubelet's start-up rules and messages (policy names,
  // options, NUMA node limit, reserved memory, reserved CPUs).
  static std::optional<NodeAdmitter> Create(const Machine& machine, const KubeletNumaConfig& config,
                                            std::string* error);

  // Admits a pod. On admission the node state keeps the pod's allocations; on rejection the
  // pod's partial allocations are released (the kubelet drops them at its next admission).
  // `trace` additionally records every merge's provider hints (for explanations).
  AdmitResult Admit(const PodRequests& pod, bool trace = false);
  AdmitResult Admit(const PodSpec& pod, bool trace = false) {
    return Admit(ComputePodRequests(pod), trace);
  }

  // The verdict Admit(pod) would give - the same AdmitResult, decision, reason, CPUs and NUMA
  // nodes - leaving the node unchanged: the scheduler extender's question for every candidate
  // node. A one-container pod in container scope is usually decided on the node's own state
  // without copying it; other pods are admitted on a copy.
  AdmitResult Evaluate(const PodRequests& pod) const;
  AdmitResult Evaluate(const PodSpec& pod) const { return Evaluate(ComputePodRequests(pod)); }

  // Releases every container of a pod, by "namespace/name" or by uid. False if unknown.
  bool Remove(const std::string& pod_key_or_uid);

  bool HasPod(const std::string& pod_key_or_uid) const;

  // The node's allocation state in numalign's state-file layout: the kubelet's
  // memory_manager_state plus the CPU Manager's shared pool and assignments. Serialize it with
  // SerializeCheckpoint (memorymanager/checkpoint.h).
  MemoryCheckpoint Checkpoint() const;
  // Start-up restore from a checkpoint, validated the kubelet's way (memory: policy name and the
  // v1.32 validateState; CPUs: the CPU Manager's state checks). On failure nothing changes and
  // the error text is returned. Restored pods are known by uid only (Remove(uid) works).
  std::optional<std::string> Restore(const MemoryCheckpoint& checkpoint);
  const Machine& machine() const { return shared_->machine; }
  const NumaIdMap& numa_ids() const { return shared_->ids; }
  const TopologyPolicy& topology_policy() const { return shared_->topology; }
  TopologyScopeName scope() const { return shared_->scope; }
  const std::optional<StaticCpuPolicy>& cpu_policy() const { return cpu_; }
  const std::optional<MemoryStaticPolicy>& memory_policy() const { return memory_; }
  std::optional<MemoryStaticPolicy>& mutable_memory_policy() { return memory_; }
  std::optional<StaticCpuPolicy>& mutable_cpu_policy() { return cpu_; }

 private:
  struct Shared {
    Machine machine;
    NumaIdMap ids;
    TopologyPolicy topology;
    TopologyScopeName scope = TopologyScopeName::kContainer;
  };

  // The container-scope merge from the providers' preferred masks alone (see
  // MergePreferredMasks); nullopt when it does not decide and the full hint lists are needed.
  std::optional<PolicyDecision> PreferredDecision(const PodRequests& pod, std::size_t index) const;
  std::optional<AdmitResult> EvaluateWithoutCopy(const PodRequests& pod) const;
  std::optional<AdmitResult> AllocateContainer(const PodRequests& pod, std::size_t index,
                                               const TopologyHint& hint);
  void Collect(const PodRequests& pod, AdmitResult* result) const;
  void Release(const std::string& uid);

  std::shared_ptr<const Shared> shared_;
  std::optional<StaticCpuPolicy> cpu_;
  std::optional<MemoryStaticPolicy> memory_;
  std::map<std::string, std::string> uid_by_key_;  // admitted pods: namespace/name -> uid
};

}  // namespace numalign::numa
