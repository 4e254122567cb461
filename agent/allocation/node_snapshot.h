#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agent/allocation/node_state.h"
#include "agent/allocation/pod_record.h"
#include "numa/admission/node_admitter.h"

namespace numalign::agent {

struct SnapshotInputs {
  const numa::NodeAdmitter& admitter;
  std::vector<PodRecord> records;  // by admission sequence
  std::uint64_t generation = 0;
  std::string node_name;
  std::string pinning_mode;
  std::string cpu_manager_policy;
  std::string memory_manager_policy;
};

// The NodeStateSource view of the engine's state: per-NUMA capacity / allocatable / available
// for cpu, memory and hugepages, the Memory Manager's multi-NUMA groups, and the admitted pods.
NodeStateSnapshot BuildNodeSnapshot(const SnapshotInputs& in);

}  // namespace numalign::agent
