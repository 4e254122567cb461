#include "sim/cluster/kubelet_profile.h"

#include "numa/admission/node_admitter.h"
#include "numa/memorymanager/reserved_memory.h"

namespace numalign::sim {

nlohmann::json DefaultKubeletJson() {
  return {{"cpuManagerPolicy", "static"},        {"reservedSystemCPUs", "0"},
          {"memoryManagerPolicy", "Static"},     {"topologyManagerPolicy", "single-numa-node"},
          {"topologyManagerScope", "container"}, {"kubeReserved", {{"memory", "924Mi"}}}};
}

bool CompleteKubeletConfig(const numa::Machine& machine, numa::KubeletNumaConfig* config,
                           std::string* error) {
  if (config->memory_manager_policy == "Static" && config->reserved_memory.empty()) {
    // Sum of kube-reserved, system-reserved and the hard eviction threshold, per memory type;
    // computed by the memory manager's own rule with an empty reservation, whose error names it.
    numa::NodeAllocatableReservation allocatable{config->system_reserved, config->kube_reserved,
                                                 config->eviction_hard};
    const numa::NumaNodeInfo* target = nullptr;
    for (const auto& node : machine.numa_nodes) {
      if (node.memory > 0) {
        target = &node;
        break;
      }
    }
    if (target == nullptr) {
      *error = "the machine has no NUMA node with memory";
      return false;
    }
    numa::Quantity memory = numa::Quantity::FromInt(0);
    for (const auto* list : {&config->system_reserved, &config->kube_reserved}) {
      if (auto it = list->find("memory"); it != list->end()) memory = memory + it->second;
    }
    std::string hard = "100Mi";
    if (config->eviction_hard) {
      auto it = config->eviction_hard->find("memory.available");
      hard = it == config->eviction_hard->end() ? "" : it->second;
    }
    if (!hard.empty()) {
      std::string why;
      auto q = numa::Quantity::Parse(hard, &why);
      if (!q) {
        *error = "evictionHard memory.available: " + why + " (percentages are not supported here)";
        return false;
      }
      memory = memory + *q;
    }
    if (!memory.IsZero()) {
      config->reserved_memory.push_back(numa::MemoryReservation{target->id, {{"memory", memory}}});
    }
  }
  return numa::NodeAdmitter::Create(machine, *config, error).has_value();
}

}  // namespace numalign::sim
