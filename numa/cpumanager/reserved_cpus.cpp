#include "numa/cpumanager/reserved_cpus.h"

#include "numa/cpumanager/take_by_topology.h"

namespace numalign::numa {

std::optional<ReservationRequest> ResolveReservation(
    const CpuTopology& topo, const std::optional<std::string>& reserved_system_cpus,
    std::int64_t reserved_millicpus, std::string* error) {
  auto fail = [&](std::string message) -> std::optional<ReservationRequest> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  ReservationRequest request;
  if (reserved_system_cpus && !reserved_system_cpus->empty()) {
    std::string parse_error;
    const auto parsed = CpuSet::Parse(*reserved_system_cpus, &parse_error);
    if (!parsed) return fail("unable to parse reserved-cpus list: " + parse_error);
    if (!parsed->IsSubsetOf(topo.AllCpus())) {
      return fail("reserved-cpus: " + *reserved_system_cpus +
                  " is not a subset of online-cpus: " + topo.AllCpus().ToString());
    }
    request.explicit_cpus = *parsed;
  }
  if (!request.explicit_cpus.empty()) {
    request.count = static_cast<std::int64_t>(request.explicit_cpus.size());
    return request;
  }
  if (reserved_millicpus <= 0) {
    return fail(
        "[cpumanager] the static policy requires systemreserved.cpu + kubereserved.cpu to be "
        "greater than zero");
  }
  // Fractional CPUs cannot be reserved exclusively, so the kubelet rounds up.
  request.count = reserved_millicpus / 1000 + (reserved_millicpus % 1000 != 0 ? 1 : 0);
  return request;
}

std::optional<ReservedCpus> SelectReservedCpus(const CpuTopology& topo,
                                               const StaticPolicyOptions& options,
                                               const ReservationRequest& request,
                                               std::string* error) {
  ReservedCpus result;
  if (!request.explicit_cpus.empty()) {
    result.reserved = request.explicit_cpus;
  } else if (request.count <= static_cast<std::int64_t>(topo.AllCpus().size())) {
    result.reserved =
        TakeByTopologyForOptions(topo, options, topo.AllCpus(), static_cast<int>(request.count))
            .cpus;
  }
  if (static_cast<std::int64_t>(result.reserved.size()) != request.count) {
    if (error) {
      *error = "[cpumanager] unable to reserve the required amount of CPUs (size of " +
               result.reserved.ToString() + " did not equal " + std::to_string(request.count) + ")";
    }
    return std::nullopt;
  }
  result.reserved.ForEach([&](int cpu) {
    const CpuPlacement* placement = topo.Placement(cpu);
    if (placement) {
      result.reserved_physical = result.reserved_physical.Union(topo.CpusInCore(placement->core));
    }
  });
  return result;
}

}  // namespace numalign::numa
