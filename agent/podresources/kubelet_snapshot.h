#pragma once

#include <string>
#include <vector>

#include "agent/allocation/node_state.h"
#include "agent/podresources/podresources_types.h"
#include "numa/topology/machine.h"

namespace numalign::agent::podresources {

// The kubelet configuration the snapshot echoes (the kubelet's names and values).
struct KubeletModeConfig {
  std::string node_name;
  std::string topology_manager_policy = "none";
  std::string topology_manager_scope = "container";
  int topology_manager_max_numa_nodes = 8;
  std::string cpu_manager_policy = "none";
  std::string memory_manager_policy = "None";
};

// The node's NUMA accounting as the kubelet's managers hold it, from podresources data:
//   cpu:    capacity = the machine's CPUs on the node; allocatable = the allocatable CPU ids on
//           it (all of them when the kubelet reports none, i.e. CPU Manager `none`);
//           available = allocatable minus exclusive CPUs.
//   memory, hugepages-<size>: capacity from the machine; allocatable from the kubelet's per-node
//           entries (capacity when it reports none, i.e. Memory Manager `None`); available =
//           allocatable minus the pinned blocks. A block spanning several nodes is charged node
//           by node in ascending id order, as the Memory Manager fills a group, and makes the
//           nodes a memory group.
// Pods keep the kubelet's List order (admission_sequence 1, 2, ...) and have no UID (the API
// carries none). Generation is left 0: the caller numbers snapshots.
// Throws PodResourcesDataError naming the pod, container and id for data that does not fit
// the machine.
NodeStateSnapshot BuildKubeletSnapshot(const numa::Machine& machine,
                                       const KubeletModeConfig& config,
                                       const AllocatableResources& allocatable,
                                       const std::vector<PodAssignment>& pods);

}  // namespace numalign::agent::podresources
