#include "extender/bind/decision_builder.h"

#include <algorithm>
#include <set>

namespace numalign::extender {

numa::AllocationDecision BuildDecision(const std::string& node, const numa::PodRequests& pod,
                                       const numa::Machine& machine,
                                       const numa::AdmitResult& admitted) {
  numa::AllocationDecision decision;
  decision.node = node;
  decision.pod_uid = pod.uid;
  std::set<std::string> seen;
  for (const auto& container : pod.containers) {  // spec order: init first, then app
    auto it = admitted.containers.find(container.name);
    if (it == admitted.containers.end() || !seen.insert(container.name).second) continue;
    numa::ContainerNumaDecision c;
    c.name = container.name;
    c.exclusive_cpus = static_cast<std::int64_t>(it->second.cpus.size());
    std::set<int> cpu_nodes;
    for (int cpu : it->second.cpus) {
      for (const auto& n : machine.numa_nodes) {
        if (std::binary_search(n.cpus.begin(), n.cpus.end(), cpu)) cpu_nodes.insert(n.id);
      }
    }
    if (!cpu_nodes.empty()) c.numa["cpu"] = {cpu_nodes.begin(), cpu_nodes.end()};
    for (const auto& [resource, ids] : it->second.memory_numa) {
      if (ids.empty()) continue;
      std::set<int> sorted(ids.begin(), ids.end());
      c.numa[resource] = {sorted.begin(), sorted.end()};
    }
    decision.containers.push_back(std::move(c));
  }
  return decision;
}

}  // namespace numalign::extender
