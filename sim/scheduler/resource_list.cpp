#include "sim/scheduler/resource_list.h"

#include <algorithm>

#include "numa/topology/cpu_list.h"

namespace numalign::sim {
namespace {

constexpr std::int64_t kMaxPods = 110;  // the kubelet's default maxPods

std::int64_t Amount(const std::string& resource, const numa::Quantity& q) {
  return resource == "cpu" ? q.MilliValueCeil() : q.ValueCeil();
}

constexpr std::int64_t kDefaultMilliCpuRequest = 100;
constexpr std::int64_t kDefaultMemoryRequest = 200 * 1024 * 1024;

ResourceList ContainerRequests(const numa::ContainerSpec& c, bool non_zero) {
  ResourceList out;
  for (const auto& [name, q] : c.requests) out[name] = Amount(name, q);
  if (non_zero) {
    if (!c.requests.count("cpu")) out["cpu"] = kDefaultMilliCpuRequest;
    if (!c.requests.count("memory")) out["memory"] = kDefaultMemoryRequest;
  }
  return out;
}

void Add(ResourceList& into, const ResourceList& more) {
  for (const auto& [k, v] : more) into[k] += v;
}

void Max(ResourceList& into, const ResourceList& other) {
  for (const auto& [k, v] : other) into[k] = std::max(into[k], v);
}

std::int64_t ReservedMilliCpu(const numa::KubeletNumaConfig& config) {
  if (config.reserved_system_cpus) {
    std::string error;
    auto cpus = numa::ParseCpuList(*config.reserved_system_cpus, &error);
    // reservedSystemCPUs replaces the cpu of kube-reserved and system-reserved.
    if (cpus) return static_cast<std::int64_t>(cpus->size()) * 1000;
  }
  std::int64_t milli = 0;
  for (const auto* list : {&config.kube_reserved, &config.system_reserved}) {
    if (auto it = list->find("cpu"); it != list->end()) milli += it->second.MilliValueCeil();
  }
  return milli;
}

std::int64_t ReservedMemory(const numa::KubeletNumaConfig& config) {
  std::int64_t bytes = 0;
  for (const auto* list : {&config.kube_reserved, &config.system_reserved}) {
    if (auto it = list->find("memory"); it != list->end()) bytes += it->second.ValueCeil();
  }
  std::string hard = "100Mi";
  if (config.eviction_hard) {
    auto it = config.eviction_hard->find("memory.available");
    hard = it == config.eviction_hard->end() ? "" : it->second;
  }
  std::string error;
  if (auto q = numa::Quantity::Parse(hard, &error)) bytes += q->ValueCeil();
  return bytes;
}

}  // namespace

ResourceList NodeAllocatable(const numa::Machine& machine, const numa::KubeletNumaConfig& config) {
  ResourceList out;
  std::int64_t memory = 0;
  std::int64_t hugepages_total = 0;
  for (const auto& node : machine.numa_nodes) {
    memory += static_cast<std::int64_t>(node.memory);
    for (const auto& [page, pool] : node.hugepages) {
      out[numa::HugepageResourceName(page)] += static_cast<std::int64_t>(pool);
      hugepages_total += static_cast<std::int64_t>(pool);
    }
  }
  out["cpu"] = std::max<std::int64_t>(
      0, static_cast<std::int64_t>(machine.cpus.size()) * 1000 - ReservedMilliCpu(config));
  // The kubelet's memory capacity includes the huge page pools; allocatable does not.
  out["memory"] = std::max<std::int64_t>(0, memory - hugepages_total - ReservedMemory(config));
  out["pods"] = kMaxPods;
  return out;
}

ResourceList ContainerSchedulingRequests(const numa::ContainerSpec& container) {
  ResourceList out = ContainerRequests(container, false);
  for (auto it = out.begin(); it != out.end();) {
    it = it->second == 0 ? out.erase(it) : std::next(it);
  }
  return out;
}

ResourceList PodSchedulingRequests(const numa::PodSpec& pod, bool non_zero) {
  ResourceList apps;
  for (const auto& c : pod.containers) Add(apps, ContainerRequests(c, non_zero));
  ResourceList sidecars;  // restartable init containers started so far
  ResourceList init_peak;
  for (const auto& c : pod.init_containers) {
    ResourceList req = ContainerRequests(c, non_zero);
    if (c.role == numa::ContainerRole::kRestartableInit) {
      Add(apps, req);  // runs beside the app containers for the pod's whole life
      Add(sidecars, req);
      Max(init_peak, sidecars);
    } else {
      Add(req, sidecars);
      Max(init_peak, req);
    }
  }
  Max(apps, init_peak);
  for (auto it = apps.begin(); it != apps.end();) {
    it = it->second == 0 ? apps.erase(it) : std::next(it);
  }
  apps["pods"] = 1;
  return apps;
}

}  // namespace numalign::sim
