#include "extender/view/reused_init_cpus.h"

#include <map>

namespace numalign::extender {

void ChargeReusedInitCpus(numa::NodeAdmitter& admitter, const numa::PodRequests& pod) {
  auto& policy = admitter.mutable_cpu_policy();
  if (!policy) return;
  numa::CpuSet init_cpus;
  numa::CpuSet app_cpus;
  for (const auto& c : pod.containers) {
    const numa::CpuSet held = policy->Assigned(pod.uid, c.name);
    if (c.role == numa::ContainerRole::kInit) {
      init_cpus = init_cpus.Union(held);
    } else {
      app_cpus = app_cpus.Union(held);
    }
  }
  const numa::CpuSet reused = init_cpus.Intersection(app_cpus);
  if (reused.empty()) return;
  // As many CPUs again, from the shared pool of the NUMA node each reused CPU is on.
  std::map<int, int> wanted;  // NUMA node id -> CPUs to charge
  for (int cpu : reused.ToVector()) {
    for (const auto& l : admitter.machine().cpus) {
      if (l.id == cpu) ++wanted[l.numa_node];
    }
  }
  const numa::CpuSet available = policy->AvailableCpus();
  numa::CpuSet charge;
  for (const auto& node : admitter.machine().numa_nodes) {
    auto it = wanted.find(node.id);
    if (it == wanted.end()) continue;
    for (int cpu : node.cpus) {
      if (it->second == 0) break;
      if (available.Contains(cpu)) {
        charge.Add(cpu);
        --it->second;
      }
    }
  }
  if (charge.empty()) return;
  numa::CpuManagerState state = policy->State();
  state.default_set = state.default_set.Difference(charge);
  state.assignments[pod.uid][kReusedInitCpusContainer] = charge;
  // Cannot fail: the charged CPUs move from the shared pool to the pod that holds them.
  policy->RestoreState(state);
}

}  // namespace numalign::extender
