#include "numa/pod/pod_requests.h"

#include <algorithm>
#include <map>

namespace numalign::numa {
namespace {

constexpr const char* kNotInt64 = "[memorymanager] failed to represent quantity as int64";

std::int64_t GuaranteedCpus(QosClass qos, const ContainerSpec& c) {
  if (qos != QosClass::kGuaranteed) return 0;
  auto it = c.requests.find("cpu");
  if (it == c.requests.end()) return 0;
  // The kubelet: exclusive only when Value()*1000 == MilliValue(), i.e. a whole number.
  const std::int64_t value = it->second.ValueCeil();
  if (value * 1000 != it->second.MilliValueCeil()) return 0;
  return value;
}

ContainerRequest ToContainerRequest(QosClass qos, const ContainerSpec& c) {
  ContainerRequest r;
  r.name = c.name;
  r.role = c.role;
  r.has_cpu_request = c.requests.count("cpu") > 0;
  r.exclusive_cpus = GuaranteedCpus(qos, c);
  for (const auto& [name, q] : c.requests) {
    if (name != "memory" && !IsHugepageResource(name)) continue;
    auto bytes = q.AsInt64();
    if (!bytes) {
      r.memory_error = kNotInt64;
      r.memory.clear();
      break;
    }
    r.memory.emplace_back(name, static_cast<std::uint64_t>(*bytes));
  }
  return r;
}

}  // namespace

bool IsHugepageResource(const std::string& name) {
  return name.rfind("hugepages-", 0) == 0;
}

PodRequests ComputePodRequests(const PodSpec& pod) {
  PodRequests out;
  out.key = pod.Key();
  out.uid = pod.uid;
  out.qos = ComputeQosClass(pod);
  out.init_count = pod.init_containers.size();
  for (const auto& c : pod.init_containers)
    out.containers.push_back(ToContainerRequest(out.qos, c));
  for (const auto& c : pod.containers) out.containers.push_back(ToContainerRequest(out.qos, c));

  // podGuaranteedCPUs: max(apps + sidecars, max over regular init i of (sidecars before i + i)).
  std::int64_t init_max = 0;
  std::int64_t sidecars = 0;
  std::int64_t apps = 0;
  for (std::size_t i = 0; i < out.containers.size(); ++i) {
    const auto& c = out.containers[i];
    if (!c.has_cpu_request) continue;
    if (c.role == ContainerRole::kRestartableInit) {
      sidecars += c.exclusive_cpus;
    } else if (c.role == ContainerRole::kInit) {
      init_max = std::max(init_max, sidecars + c.exclusive_cpus);
    } else {
      apps += c.exclusive_cpus;
    }
  }
  out.pod_exclusive_cpus = std::max(init_max, apps + sidecars);

  // getPodRequestedResources: the same shape per memory resource; only resources that app
  // containers request are kept.
  std::map<std::string, std::uint64_t> mem_init_max;
  std::map<std::string, std::uint64_t> mem_sidecars;
  std::map<std::string, std::uint64_t> mem_apps;
  for (const auto& c : out.containers) {
    if (c.memory_error) {
      out.pod_memory_error = c.memory_error;
      break;
    }
    for (const auto& [name, bytes] : c.memory) {
      if (c.role == ContainerRole::kRestartableInit) {
        mem_sidecars[name] += bytes;
      } else if (c.role == ContainerRole::kInit) {
        auto& m = mem_init_max[name];
        m = std::max(m, mem_sidecars[name] + bytes);
      } else {
        mem_apps[name] += bytes;
      }
    }
  }
  if (!out.pod_memory_error) {
    for (const auto& [name, bytes] : mem_apps) {
      std::uint64_t long_running = bytes + mem_sidecars[name];
      out.pod_memory.emplace_back(name, std::max(long_running, mem_init_max[name]));
    }
  }
  return out;
}

}  // namespace numalign::numa
