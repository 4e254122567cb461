#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "numa/memorymanager/machine_state.h"

namespace numalign::numa {

class MemoryStaticPolicy;

// The kubelet's memory_manager_state layout, by OS ids and resource names, independent of any
// machine: what is read from or written to disk.
struct CheckpointNode {
  int number_of_assignments = 0;
  std::map<std::string, MemoryTable> memory_map;
  std::vector<int> cells;
  bool operator==(const CheckpointNode&) const = default;
};

struct CheckpointBlock {
  std::vector<int> numa_affinity;
  std::string type;
  std::uint64_t size = 0;
  bool operator==(const CheckpointBlock&) const = default;
};

using CheckpointEntries =
    std::map<std::string, std::map<std::string, std::vector<CheckpointBlock>>>;

struct MemoryCheckpoint {
  std::string policy_name = "Static";
  std::map<int, CheckpointNode> machine_state;
  CheckpointEntries entries;  // omitted from the file when empty, like the kubelet
  // numalign's additions (absent in kubelet-written files): the CPU Manager's shared pool and
  // exclusive assignments in cpuset syntax, so one file restores a whole node.
  std::optional<std::string> cpu_default_set;
  std::map<std::string, std::map<std::string, std::string>> cpu_entries;
  std::uint64_t checksum = 0;
  bool operator==(const MemoryCheckpoint&) const = default;
};

// How a read treats the checksum: numalign's own files carry a CRC-32C of the canonical JSON
// (checksum field zeroed) and are verified; the kubelet's files carry a Go-specific hash that is
// not reproducible here, so they are parsed without verification.
enum class ChecksumCheck { kVerifyNumalign, kSkip };

// Canonical JSON in the kubelet's field order (Go struct order; map keys sorted as strings),
// with `checksum` set to the CRC-32C of the same text with checksum 0.
std::string SerializeCheckpoint(const MemoryCheckpoint& checkpoint);
std::uint32_t CheckpointChecksum(const MemoryCheckpoint& checkpoint);

// Parses a checkpoint file's text. Errors: malformed JSON or fields (named), and, when verifying,
// "checkpoint is corrupted" on a checksum mismatch.
std::optional<MemoryCheckpoint> ParseCheckpoint(const std::string& text, ChecksumCheck check,
                                                std::string* error);

// The policy's current state as a checkpoint (memory part only).
MemoryCheckpoint CheckpointOf(const MemoryStaticPolicy& policy);

}  // namespace numalign::numa
