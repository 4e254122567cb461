#include "sim/placement/topology_blind_placement.h"

#include "sim/cluster/cluster_machines.h"
#include "sim/placement/kubelet_backend.h"

namespace numalign::sim {

PlacementResult TopologyBlindPlacement::Run(const ClusterSpec& cluster, const Workload& workload,
                                            RunObserver& observer) {
  const std::vector<numa::Machine> machines = LoadClusterMachines(cluster);
  KubeletBackend backend(cluster, machines, nullptr, nullptr);
  PlacementResult result = RunEvents(Name(), cluster, machines, workload, backend, observer);
  result.description =
      "kube-scheduler v1.32 default fit and scoring on node totals, then the kubelet's admission";
  return result;
}

}  // namespace numalign::sim
