#pragma once

#include <optional>
#include <string>
#include <vector>

#include "numa/cpumanager/cpuset.h"
#include "numa/topology/machine.h"

namespace numalign::numa {

// Where one logical CPU sits, as the kubelet's CPUDetails records it.
struct CpuPlacement {
  int core = -1;    // the kubelet's unique core id: the lowest CPU id among the core's threads
  int socket = -1;  // physical package id
  int numa = -1;    // NUMA node OS id
};

// The kubelet's CPUTopology built from a Machine. Cores are grouped the way cAdvisor groups them
// (same NUMA node, same socket, same reported core id), and each core is then named by its lowest
// thread id, exactly as the kubelet does, because reported core ids may repeat across sockets and
// every "sort by core id" tie-break in the allocator uses the unique id.
class CpuTopology {
 public:
  static std::optional<CpuTopology> Create(const Machine& machine, std::string* error);

  int NumCpus() const { return num_cpus_; }
  int NumSockets() const { return static_cast<int>(sockets_.size()); }
  int NumCores() const { return static_cast<int>(cores_.size()); }
  int NumNumaNodes() const { return static_cast<int>(numas_.size()); }  // nodes with CPUs
  // Integer divisions like the kubelet's (it assumes uniform cores and sockets); 0 when undefined.
  int CpusPerCore() const { return NumCores() == 0 ? 0 : num_cpus_ / NumCores(); }
  int CpusPerSocket() const { return NumSockets() == 0 ? 0 : num_cpus_ / NumSockets(); }
  // The kubelet takes NUMA nodes as the first level when there are at least as many sockets as
  // NUMA nodes, and sockets first otherwise.
  bool NumaFirst() const { return NumSockets() >= NumNumaNodes(); }

  const CpuSet& AllCpus() const { return all_; }
  const CpuPlacement* Placement(int cpu) const;  // nullptr for unknown ids

  // Ascending ids of every unit of a level.
  const std::vector<int>& NumaIds() const { return numa_ids_; }
  const std::vector<int>& SocketIds() const { return socket_ids_; }
  const std::vector<int>& CoreIds() const { return core_ids_; }

  // All CPUs of a unit (empty for unknown ids).
  const CpuSet& CpusInNuma(int numa) const;
  const CpuSet& CpusInSocket(int socket) const;
  const CpuSet& CpusInCore(int core) const;
  CpuSet CpusInNumas(const std::vector<int>& numas) const;

  // Ascending ids of the units of one level that hold at least one CPU of `cpus` inside a unit of
  // another level: the kubelet's CPUDetails.KeepOnly(cpus).XInY(id) queries.
  std::vector<int> SocketsInNuma(int numa, const CpuSet& cpus) const;
  std::vector<int> NumasInSocket(int socket, const CpuSet& cpus) const;
  std::vector<int> CoresInSocket(int socket, const CpuSet& cpus) const;
  std::vector<int> CoresInNuma(int numa, const CpuSet& cpus) const;
  std::vector<int> NumasOf(const CpuSet& cpus) const;
  std::vector<int> SocketsOf(const CpuSet& cpus) const;

 private:
  struct Unit {
    int id = 0;
    CpuSet cpus;
  };
  static const Unit* Find(const std::vector<Unit>& units, int id);
  static std::vector<int> UnitsHolding(const std::vector<Unit>& units, const CpuSet& cpus);

  int num_cpus_ = 0;
  CpuSet all_;
  std::vector<CpuPlacement> placement_by_cpu_;  // indexed by CPU id; core -1 = no such CPU
  std::vector<Unit> numas_, sockets_, cores_;   // ascending by id
  std::vector<int> numa_ids_, socket_ids_, core_ids_;
};

}  // namespace numalign::numa
