#include "numa/pod/qos.h"

#include <map>

namespace numalign::numa {
namespace {

bool IsQosResource(const std::string& name) {
  return name == "cpu" || name == "memory";
}

}  // namespace

QosClass ComputeQosClass(const PodSpec& pod) {
  std::map<std::string, Quantity> requests;
  std::map<std::string, Quantity> limits;
  bool guaranteed = true;
  auto visit = [&](const ContainerSpec& c) {
    for (const auto& [name, q] : c.requests) {
      if (!IsQosResource(name) || !(q > Quantity())) continue;
      auto [it, inserted] = requests.emplace(name, q);
      if (!inserted) it->second = it->second + q;
    }
    bool has_cpu_limit = false;
    bool has_memory_limit = false;
    for (const auto& [name, q] : c.limits) {
      if (!IsQosResource(name) || !(q > Quantity())) continue;
      if (name == "cpu") has_cpu_limit = true;
      if (name == "memory") has_memory_limit = true;
      auto [it, inserted] = limits.emplace(name, q);
      if (!inserted) it->second = it->second + q;
    }
    if (!has_cpu_limit || !has_memory_limit) guaranteed = false;
  };
  for (const auto& c : pod.containers) visit(c);
  for (const auto& c : pod.init_containers) visit(c);
  if (requests.empty() && limits.empty()) return QosClass::kBestEffort;
  if (guaranteed) {
    for (const auto& [name, req] : requests) {
      auto lim = limits.find(name);
      if (lim == limits.end() || !(lim->second == req)) {
        guaranteed = false;
        break;
      }
    }
  }
  if (guaranteed && requests.size() == limits.size()) return QosClass::kGuaranteed;
  return QosClass::kBurstable;
}

std::string_view QosClassName(QosClass qos) {
  switch (qos) {
    case QosClass::kBestEffort:
      return "BestEffort";
    case QosClass::kBurstable:
      return "Burstable";
    case QosClass::kGuaranteed:
      return "Guaranteed";
  }
  return "Unknown";
}

}  // namespace numalign::numa
