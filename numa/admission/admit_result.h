#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "numa/topologymanager/hint.h"

namespace numalign::numa {

// What one container received at admission.
struct ContainerAllocation {
  std::vector<int> cpus;  // exclusive CPU ids, ascending; empty = shared pool
  // Memory resource -> NUMA node OS ids the memory manager pinned it to; empty = none.
  std::map<std::string, std::vector<int>> memory_numa;
  bool operator==(const ContainerAllocation&) const = default;
};

// The Topology Manager's stored hint for one container (what its providers allocated from).
struct StoredHint {
  std::optional<std::vector<int>> numa_nodes;  // OS ids; nullopt = no NUMA preference
  bool preferred = false;
  bool operator==(const StoredHint&) const = default;
};

// The hints one Topology Manager merge saw, for explanations.
struct MergeTrace {
  std::string unit;  // container name, or "pod" in pod scope
  std::optional<ProviderHints> cpu;
  std::optional<ProviderHints> memory;
  TopologyHint best;
  bool admit = false;
};

// The kubelet's admission verdict for one pod on one node.
struct AdmitResult {
  bool admit = false;
  std::string reason;  // "TopologyAffinityError" | "SMTAlignmentError" | "UnexpectedAdmissionError"
  std::string message;           // the pod status message, in the kubelet's words
  std::string failed_container;  // the container being admitted when it failed
  // Containers that received exclusive CPUs or memory blocks, by name.
  std::map<std::string, ContainerAllocation> containers;
  // Admitted pods: every container's stored hint. A pod whose hints are all preferred is a
  // better fit than one admitted through best-effort with a non-preferred hint.
  std::map<std::string, StoredHint> hints;
  bool AllPreferred() const {
    for (const auto& [name, h] : hints) {
      if (!h.preferred) return false;
    }
    return true;
  }
  std::vector<MergeTrace> trace;  // filled only when tracing was asked for
};

// Same decision, reason, message, failed container, allocations and stored hints (the trace,
// an explanation aid, is not compared).
inline bool SameVerdict(const AdmitResult& a, const AdmitResult& b) {
  return a.admit == b.admit && a.reason == b.reason && a.message == b.message &&
         a.failed_container == b.failed_container && a.containers == b.containers &&
         a.hints == b.hints;
}

}  // namespace numalign::numa
