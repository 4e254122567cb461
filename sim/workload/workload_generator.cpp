#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/workload/random.h"
#include "sim/workload/workload_spec.h"

namespace numalign::sim {
namespace {

// Virtual times are kept on a millisecond grid so that they print and compare exactly.
double Millis(double seconds) {
  return std::round(seconds * 1000.0) / 1000.0;
}

numa::ContainerSpec DrawContainer(const ContainerShape& shape, ShapeQos qos,
                                  const std::string& name, numa::ContainerRole role,
                                  SimRandom& random) {
  numa::ContainerSpec c;
  c.name = name;
  c.role = role;
  if (qos == ShapeQos::kBestEffort) return c;
  for (const auto& [resource, choices] : shape.choices) {  // resource order: map order
    const numa::Quantity value = choices[random.Below(choices.size())];
    c.requests[resource] = value;
    const bool hugepages = resource.starts_with("hugepages-");
    if (qos == ShapeQos::kGuaranteed || hugepages) {
      c.limits[resource] = value;  // the API requires hugepages limits equal to requests
    } else {
      c.limits[resource] = value + value;
    }
  }
  return c;
}

}  // namespace

Workload GenerateWorkload(const WorkloadSpec& spec, std::uint64_t seed, std::size_t nodes) {
  Workload out;
  out.name = spec.name;
  out.seed = seed;
  out.duration_s = spec.duration_s;
  const double rate = spec.arrival_rate + spec.arrival_rate_per_node * static_cast<double>(nodes);
  double total_weight = 0;
  for (const auto& c : spec.classes) total_weight += c.weight;
  if (rate <= 0 || total_weight <= 0) return out;

  SimRandom random(seed);
  std::vector<SimEvent> events;
  double t = 0;
  for (std::uint64_t index = 0;; ++index) {
    t = Millis(t + random.Exponential(1.0 / rate));
    if (t >= spec.duration_s) break;
    double pick = random.Uniform01() * total_weight;
    const PodClass* cls = &spec.classes.back();
    for (const auto& c : spec.classes) {
      if (pick < c.weight) {
        cls = &c;
        break;
      }
      pick -= c.weight;
    }
    SimPod pod;
    char name[128];
    std::snprintf(name, sizeof name, "%s-%06llu", cls->name.c_str(),
                  static_cast<unsigned long long>(index));
    pod.spec.name = name;
    pod.spec.namespace_name = spec.ns;
    for (std::size_t i = 0; i < cls->init_containers.size(); ++i) {
      const auto& shape = cls->init_containers[i];
      pod.spec.init_containers.push_back(DrawContainer(
          shape, cls->qos, "init" + std::to_string(i),
          shape.restartable ? numa::ContainerRole::kRestartableInit : numa::ContainerRole::kInit,
          random));
    }
    for (std::size_t i = 0; i < cls->containers.size(); ++i) {
      pod.spec.containers.push_back(DrawContainer(cls->containers[i], cls->qos,
                                                  "app" + std::to_string(i),
                                                  numa::ContainerRole::kApp, random));
    }
    if (cls->replicaset) pod.owner_replicaset = cls->name;
    SimEvent create{t, 0, SimEventKind::kCreatePod, pod};
    events.push_back(create);
    if (cls->lifetime_s > 0) {
      const double end = Millis(t + std::max(0.001, random.Exponential(cls->lifetime_s)));
      if (end < spec.duration_s) events.push_back({end, 0, SimEventKind::kDeletePod, pod});
    }
  }
  // Deletions at the same instant go first: a node frees resources before new pods arrive.
  std::stable_sort(events.begin(), events.end(), [](const SimEvent& a, const SimEvent& b) {
    if (a.time_s != b.time_s) return a.time_s < b.time_s;
    return a.kind == SimEventKind::kDeletePod && b.kind == SimEventKind::kCreatePod;
  });
  for (std::size_t i = 0; i < events.size(); ++i) events[i].sequence = i + 1;
  out.events = std::move(events);
  return out;
}

}  // namespace numalign::sim
