#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "numa/cpumanager/cpu_topology.h"
#include "numa/cpumanager/cpuset.h"
#include "numa/cpumanager/policy_options.h"

namespace numalign::numa {

// How many CPUs the kubelet reserves, and which ones were named explicitly.
struct ReservationRequest {
  CpuSet explicit_cpus;  // reservedSystemCPUs; empty when not set
  std::int64_t count = 0;
};

// The kubelet's start-up checks, in its order: reservedSystemCPUs must parse and be a subset of
// the machine's CPUs; when it is set (and not empty) its size replaces the cpu reservation,
// otherwise ceil(systemReserved.cpu + kubeReserved.cpu) CPUs are reserved and that must not be
// zero for the static policy.
std::optional<ReservationRequest> ResolveReservation(
    const CpuTopology& topo, const std::optional<std::string>& reserved_system_cpus,
    std::int64_t reserved_millicpus, std::string* error);

struct ReservedCpus {
  CpuSet reserved;           // not available for exclusive assignment
  CpuSet reserved_physical;  // reserved plus all their SMT siblings (full-pcpus-only accounting)
};

// The kubelet's choice of reserved CPUs: the explicit set, or `count` CPUs taken with the policy's
// own takeByTopology over all CPUs, which yields low-numbered whole cores first.
std::optional<ReservedCpus> SelectReservedCpus(const CpuTopology& topo,
                                               const StaticPolicyOptions& options,
                                               const ReservationRequest& request,
                                               std::string* error);

}  // namespace numalign::numa
