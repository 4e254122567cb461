#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "numa/admission/admit_result.h"
#include "numa/admission/kubelet_config.h"
#include "numa/pod/pod_spec.h"
#include "numa/topology/machine.h"
#include "sim/model/pod_outcome.h"

namespace numalign::sim {

// One node's NUMA capacities as pods see them: allocatable CPUs (reserved CPUs removed),
// memory (huge page pools removed) and huge page pools per NUMA node.
class NumaCapacity {
 public:
  NumaCapacity(const numa::Machine& machine, const numa::KubeletNumaConfig& config);

  // NUMA node OS id of a CPU; -1 when unknown.
  int NumaOfCpu(int cpu) const;
  // NUMA nodes (OS ids, ascending) that have CPUs, and their allocatable CPU counts.
  const std::vector<int>& cpu_nodes() const { return cpu_nodes_; }
  int AllocatableCpus(int numa_id) const;

  // The fewest NUMA nodes whose capacities together hold `exclusive_cpus` CPUs and every
  // memory request ("memory", "hugepages-<size>" in bytes); 0 when nothing is asked for. Exact
  // over every subset up to 12 NUMA nodes, a lower bound from the largest nodes above.
  int MinNumaNodes(std::int64_t exclusive_cpus,
                   const std::map<std::string, std::int64_t>& memory) const;

 private:
  struct Zone {
    int id = 0;
    std::int64_t cpus = 0;
    std::map<std::string, std::int64_t> memory;  // "memory", "hugepages-<size>"
  };
  std::vector<Zone> zones_;
  std::map<int, int> numa_of_cpu_;
  std::vector<int> cpu_nodes_;
};

// The placements of a pod's containers (init containers first, then app containers, as in the
// spec) from an admission's allocations, with each container's minimum NUMA node count.
std::vector<ContainerPlacement> ContainerPlacements(
    const numa::PodSpec& pod, const std::map<std::string, numa::ContainerAllocation>& allocations,
    const NumaCapacity& capacity);

}  // namespace numalign::sim
