#pragma once

#include <map>
#include <optional>
#include <string>

namespace numalign::numa {

// The static policy's cpuManagerPolicyOptions after validation.
struct StaticPolicyOptions {
  bool full_pcpus_only = false;                   // beta (GA in 1.33)
  bool distribute_cpus_across_numa = false;       // alpha
  bool align_by_socket = false;                   // alpha
  bool distribute_cpus_across_cores = false;      // alpha
  bool strict_cpu_reservation = false;            // alpha
  bool prefer_align_cpus_by_uncorecache = false;  // alpha
};

// Parses and checks options like the kubelet v1.32 (NewStaticPolicyOptions): unknown options,
// alpha options without CPUManagerPolicyAlphaOptions, beta options with
// CPUManagerPolicyBetaOptions switched off, values strconv.ParseBool rejects, and the option pairs
// that cannot be combined. Errors carry the kubelet's message. Options are checked in name order
// (the kubelet walks a Go map, so its order among several bad options is random).
std::optional<StaticPolicyOptions> ParseStaticPolicyOptions(
    const std::map<std::string, std::string>& options,
    const std::map<std::string, bool>& feature_gates, std::string* error);

// The kubelet's ValidateStaticPolicyOptions: align-by-socket needs a Topology Manager policy other
// than single-numa-node and no more sockets than NUMA nodes.
std::optional<std::string> ValidateStaticPolicyOptions(const StaticPolicyOptions& options,
                                                       int num_sockets, int num_numa_nodes,
                                                       const std::string& topology_manager_policy);

}  // namespace numalign::numa
