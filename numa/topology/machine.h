#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace numalign::numa {

// One logical CPU as the kubelet's CPU topology sees it.
struct LogicalCpu {
  int id = 0;         // OS (logical) CPU id
  int core = 0;       // core id as reported (may repeat across sockets; pair with socket)
  int socket = 0;     // physical package id
  int numa_node = 0;  // OS id of the NUMA node holding this CPU
  bool operator==(const LogicalCpu&) const = default;
};

// One NUMA node, keyed by its OS index (never hwloc's logical index). Ids may be sparse
// (0, 8, 250-255) and a node may carry memory but no CPUs (HBM, GPU memory, CXL).
struct NumaNodeInfo {
  int id = 0;
  std::vector<int> cpus;     // logical CPU ids on this node, ascending; empty = memory-only
  std::uint64_t memory = 0;  // local memory in bytes, hugepage pools included
  // Huge page pools: page size in bytes -> pool size in bytes (pages * page size). Every size
  // the machine supports has an entry, zero when no pages are reserved.
  std::map<std::uint64_t, std::uint64_t> hugepages;
  std::string subtype;  // hwloc subtype, e.g. "MCDRAM"; empty when none
  bool operator==(const NumaNodeInfo&) const = default;
};

// The node's hardware as the kubelet's managers need it.
struct Machine {
  std::vector<NumaNodeInfo> numa_nodes;  // ascending by id
  std::vector<LogicalCpu> cpus;          // ascending by id
  // SLIT distances by OS id: distances[i][j]. Empty when the machine reports none.
  std::map<int, std::map<int, int>> distances;

  const NumaNodeInfo* node(int id) const;
  std::vector<int> node_ids() const;
  std::optional<int> distance(int from, int to) const;
  int socket_count() const;
  bool operator==(const Machine&) const = default;
};

// "hugepages-2Mi" for 2097152; the kubelet's canonical binary-SI name of a page size.
std::string HugepageResourceName(std::uint64_t page_size_bytes);

}  // namespace numalign::numa
