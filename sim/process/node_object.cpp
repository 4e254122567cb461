#include "sim/process/node_object.h"

namespace numalign::sim::process {

std::string QuantityText(const std::string& resource, std::int64_t amount) {
  if (resource == "cpu") {
    return amount % 1000 == 0 ? std::to_string(amount / 1000) : std::to_string(amount) + "m";
  }
  return std::to_string(amount);
}

nlohmann::json NodeObject(const SimNodeSpec& node) {
  nlohmann::json labels = {{"kubernetes.io/hostname", node.name},
                           {"kubernetes.io/os", "linux"},
                           {"numalign.io/simulated-topology", node.topology}};
  for (const auto& [key, value] : node.labels) labels[key] = value;
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata", {{"name", node.name}, {"labels", labels}}},
          {"spec", nlohmann::json::object()}};
}

nlohmann::json NodeStatus(const numa::Machine& machine, const ResourceList& allocatable) {
  std::uint64_t memory = 0;
  std::map<std::uint64_t, std::uint64_t> hugepages;
  for (const auto& numa_node : machine.numa_nodes) {
    memory += numa_node.memory;
    for (const auto& [size, pool] : numa_node.hugepages) hugepages[size] += pool;
  }
  nlohmann::json capacity = {{"cpu", std::to_string(machine.cpus.size())},
                             {"memory", std::to_string(memory)},
                             {"pods", "110"}};
  for (const auto& [size, pool] : hugepages) {
    capacity[numa::HugepageResourceName(size)] = std::to_string(pool);
  }
  nlohmann::json allocatable_json = nlohmann::json::object();
  for (const auto& [resource, amount] : allocatable) {
    allocatable_json[resource] = QuantityText(resource, amount);
  }
  return {{"capacity", capacity},
          {"allocatable", allocatable_json},
          {"conditions",
           nlohmann::json::array({{{"type", "Ready"},
                                   {"status", "True"},
                                   {"reason", "KubeletReady"},
                                   {"message", "simulated kubelet is posting ready status"}}})}};
}

}  // namespace numalign::sim::process
