#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "numa/memorymanager/machine_state.h"
#include "numa/pod/quantity.h"
#include "numa/topology/machine.h"

namespace numalign::numa {

// One entry of the kubelet's reservedMemory (kubeletconfig.MemoryReservation).
struct MemoryReservation {
  int numa_node = 0;
  // Kept as (type, quantity) pairs in the given order so duplicates stay visible to validation.
  std::vector<std::pair<std::string, Quantity>> limits;
};

// --reserved-memory flag syntax: "N:type=qty[,type=qty...]" with several nodes separated by ';'.
// Appends to `out` (the flag may repeat). Errors are the kubelet's flag messages.
bool ParseReservedMemoryFlag(const std::string& text, std::vector<MemoryReservation>* out,
                             std::string* error);

// The kubelet configuration validation of reservedMemory: supported types, no zero value, no
// duplicate (node, type). Returns every error, like the kubelet's aggregate (empty = valid).
std::vector<std::string> ValidateReservedMemoryConfig(const std::vector<MemoryReservation>& rm);

// The node-allocatable reservation per memory type: kube-reserved + system-reserved + the hard
// eviction threshold ("memory.available", which defaults to 100Mi when evictionHard is unset;
// percentages are taken of the machine's memory).
struct NodeAllocatableReservation {
  std::map<std::string, Quantity> system_reserved;
  std::map<std::string, Quantity> kube_reserved;
  std::optional<std::map<std::string, std::string>> eviction_hard;  // nullopt = kubelet default
};

// getSystemReservedMemory: every node referenced must exist, and for every memory type named in
// either place the sum over nodes must equal the node-allocatable reservation exactly.
std::optional<SystemReservedMemory> ComputeSystemReservedMemory(
    const Machine& machine, const std::vector<MemoryReservation>& reservations,
    const NodeAllocatableReservation& allocatable, std::string* error);

// Kubernetes' DecimalSI rendering of a quantity ("1124Mi" parses to "1178599424"; "2G" stays
// "2G"), as the memory manager's messages print the sums.
std::string DecimalSiString(const Quantity& q);

}  // namespace numalign::numa
