#include "sim/process/kubelet_config_file.h"

#include <nlohmann/json.hpp>

namespace numalign::sim::process {
namespace {

nlohmann::json Quantities(const std::map<std::string, numa::Quantity>& quantities) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, quantity] : quantities) out[name] = quantity.ToString();
  return out;
}

}  // namespace

std::string KubeletConfigurationDocument(const numa::KubeletNumaConfig& config) {
  nlohmann::json doc = {{"apiVersion", "kubelet.config.k8s.io/v1beta1"},
                        {"kind", "KubeletConfiguration"},
                        {"topologyManagerPolicy", config.topology_manager_policy},
                        {"topologyManagerScope", config.topology_manager_scope},
                        {"topologyManagerPolicyOptions", config.topology_manager_policy_options},
                        {"cpuManagerPolicy", config.cpu_manager_policy},
                        {"cpuManagerPolicyOptions", config.cpu_manager_policy_options},
                        {"memoryManagerPolicy", config.memory_manager_policy},
                        {"systemReserved", Quantities(config.system_reserved)},
                        {"kubeReserved", Quantities(config.kube_reserved)},
                        {"featureGates", config.feature_gates}};
  if (config.reserved_system_cpus) doc["reservedSystemCPUs"] = *config.reserved_system_cpus;
  if (config.eviction_hard) doc["evictionHard"] = *config.eviction_hard;
  nlohmann::json reserved = nlohmann::json::array();
  for (const auto& reservation : config.reserved_memory) {
    nlohmann::json limits = nlohmann::json::object();
    for (const auto& [resource, quantity] : reservation.limits) {
      limits[resource] = quantity.ToString();
    }
    reserved.push_back({{"numaNode", reservation.numa_node}, {"limits", limits}});
  }
  if (!reserved.empty()) doc["reservedMemory"] = reserved;
  return doc.dump(2) + "\n";
}

}  // namespace numalign::sim::process
