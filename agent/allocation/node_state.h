#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace numalign::agent {

// A read-only snapshot of one node's NUMA accounting as the agent's allocation engine holds it:
// what NodeResourceTopology publication (agent/publish/) and the metrics need, and nothing that
// lets them change the state. Plain values, so a snapshot can be kept, compared and copied to
// another thread freely.

// One resource on one NUMA node. CPUs count logical CPUs; memory and hugepages count bytes.
//   capacity:    what the hardware has on this node (CPUs; memory incl. hugepage pools for
//                "memory" as the Memory Manager's `total`, pool size for hugepages-<size>)
//   allocatable: capacity minus the node's reservations (reserved CPUs; --reserved-memory)
//   available:   allocatable minus what admitted pods hold exclusively (exclusive CPUs; memory
//                blocks). For "cpu" this is the shared pool minus reserved CPUs.
struct NumaResourceAmount {
  std::int64_t capacity = 0;
  std::int64_t allocatable = 0;
  std::int64_t available = 0;
  bool operator==(const NumaResourceAmount&) const = default;
};

struct NumaZoneState {
  int numa_id = 0;  // OS id; published as zone "node-<id>"
  // "cpu", "memory", "hugepages-<size>" (the kubelet's canonical names) -> amounts.
  std::map<std::string, NumaResourceAmount> resources;
  std::map<int, int> distances;  // SLIT distance to every NUMA node by OS id (empty if unknown)
  std::vector<int> cpus;         // logical CPU OS ids on the node, ascending; empty: memory-only
  bool operator==(const NumaZoneState&) const = default;
};

// A set of NUMA nodes that the Memory Manager treats as one (a cross-NUMA allocation made them a
// group; single-NUMA allocations may no longer land on any of them). Groups of one node are not
// listed.
struct MemoryGroupState {
  std::vector<int> numa_ids;      // OS ids, ascending
  int number_of_assignments = 0;  // memory blocks whose mask spans this group
  bool operator==(const MemoryGroupState&) const = default;
};

// One pod the agent admitted and holds resources for.
struct AdmittedPodState {
  std::string uid;
  std::string namespace_name;
  std::string name;
  std::uint64_t admission_sequence = 0;  // order of admission, survives restarts
  std::vector<int> numa_ids;             // every NUMA node any of its containers uses, ascending
  // Container name -> exclusive CPU ids (only containers with exclusive CPUs).
  std::map<std::string, std::vector<int>> exclusive_cpus;
  // Container name -> resource -> NUMA ids (memory and hugepages).
  std::map<std::string, std::map<std::string, std::vector<int>>> memory_numa;
  bool operator==(const AdmittedPodState&) const = default;
};

struct NodeStateSnapshot {
  std::string node_name;
  // Increases by at least one on every change of anything below (never decreases within a
  // process; restored from the checkpoint so it also keeps increasing across restarts).
  std::uint64_t generation = 0;
  std::vector<NumaZoneState> zones;  // ascending by numa_id
  std::vector<MemoryGroupState> memory_groups;
  std::vector<AdmittedPodState> pods;  // ascending by admission_sequence
  std::vector<int> shared_pool_cpus;   // the CPU Manager's default set (incl. reserved CPUs)
  std::vector<int> reserved_cpus;
  // Configuration echoed for NRT attributes.
  std::string topology_manager_policy;
  std::string topology_manager_scope;
  int topology_manager_max_numa_nodes = 8;
  std::string cpu_manager_policy;     // "static" or "none"
  std::string memory_manager_policy;  // "Static" or "None"
  std::string pinning_mode;           // "agent" or "kubelet"
  bool operator==(const NodeStateSnapshot&) const = default;
};

}  // namespace numalign::agent
