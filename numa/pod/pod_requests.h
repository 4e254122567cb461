#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "numa/pod/pod_spec.h"
#include "numa/pod/qos.h"

namespace numalign::numa {

// Memory-manager resources of one container or pod: "memory" and "hugepages-<size>" in bytes,
// sorted by resource name.
using MemoryRequest = std::vector<std::pair<std::string, std::uint64_t>>;

// What the kubelet's managers read from one container.
struct ContainerRequest {
  std::string name;
  ContainerRole role = ContainerRole::kApp;
  // guaranteedCPUs: the whole CPU request when the pod is Guaranteed and the request is an
  // integer, else 0 (shared pool).
  std::int64_t exclusive_cpus = 0;
  bool has_cpu_request = false;
  MemoryRequest memory;  // getRequestedResources
  // Set when a memory quantity has a fraction of a byte: the memory manager then gives no hints
  // and its Allocate fails with this text.
  std::optional<std::string> memory_error;
};

// A pod reduced to what NUMA admission needs; computed once, evaluated on many nodes.
struct PodRequests {
  std::string key;  // namespace/name
  std::string uid;
  QosClass qos = QosClass::kBestEffort;
  std::vector<ContainerRequest> containers;  // init containers (spec order), then app containers
  std::size_t init_count = 0;
  std::int64_t pod_exclusive_cpus = 0;  // podGuaranteedCPUs
  MemoryRequest pod_memory;             // getPodRequestedResources
  std::optional<std::string> pod_memory_error;

  bool Guaranteed() const { return qos == QosClass::kGuaranteed; }
};

PodRequests ComputePodRequests(const PodSpec& pod);

bool IsHugepageResource(const std::string& name);

}  // namespace numalign::numa
