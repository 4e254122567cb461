#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace numalign::agent::podresources {

// What the kubelet's podresources v1 API reports, as plain values (no protobuf types), so the
// conversion to the node's snapshot is testable without gRPC. Ids stay int64 as on the wire:
// checking them is the conversion's job.

struct MemoryBlock {
  std::string type;                      // "memory", "hugepages-2Mi", ...
  std::uint64_t size = 0;                // bytes
  std::vector<std::int64_t> numa_nodes;  // the NUMA nodes the block was taken from
  bool operator==(const MemoryBlock&) const = default;
};

struct ContainerAssignment {
  std::string name;
  std::vector<std::int64_t> cpu_ids;  // exclusive CPUs only
  std::vector<MemoryBlock> memory;    // Memory Manager Static only
  bool operator==(const ContainerAssignment&) const = default;
};

struct PodAssignment {
  std::string namespace_name;
  std::string name;
  std::vector<ContainerAssignment> containers;
  bool operator==(const PodAssignment&) const = default;
};

struct AllocatableResources {
  std::vector<std::int64_t> cpu_ids;  // empty with CPU Manager policy none
  std::vector<MemoryBlock> memory;    // one per (NUMA node, type); empty with policy None
  bool operator==(const AllocatableResources&) const = default;
};

// The kubelet could not be asked (socket missing, kubelet down, RPC error).
class PodResourcesError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The kubelet answered with something that does not fit this machine (unknown NUMA node or
// CPU, unknown resource type).
class PodResourcesDataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The calls the agent makes; PodResourcesClient talks gRPC, tests may substitute.
class PodResourcesApi {
 public:
  virtual ~PodResourcesApi() = default;
  // Both throw PodResourcesError.
  virtual AllocatableResources GetAllocatableResources() = 0;
  virtual std::vector<PodAssignment> List() = 0;
};

}  // namespace numalign::agent::podresources
