#include "sim/placement/numa_footprint.h"

#include <algorithm>
#include <bit>
#include <set>

#include "numa/topology/cpu_list.h"

namespace numalign::sim {

NumaCapacity::NumaCapacity(const numa::Machine& machine, const numa::KubeletNumaConfig& config) {
  std::set<int> reserved;
  if (config.reserved_system_cpus) {
    std::string error;
    if (auto cpus = numa::ParseCpuList(*config.reserved_system_cpus, &error)) {
      reserved.insert(cpus->begin(), cpus->end());
    }
  }
  for (const auto& node : machine.numa_nodes) {
    Zone zone;
    zone.id = node.id;
    for (int cpu : node.cpus) {
      numa_of_cpu_[cpu] = node.id;
      if (!reserved.count(cpu)) ++zone.cpus;
    }
    std::int64_t pools = 0;
    for (const auto& [page, pool] : node.hugepages) {
      if (pool == 0) continue;
      zone.memory[numa::HugepageResourceName(page)] = static_cast<std::int64_t>(pool);
      pools += static_cast<std::int64_t>(pool);
    }
    zone.memory["memory"] = static_cast<std::int64_t>(node.memory) - pools;
    if (!node.cpus.empty()) cpu_nodes_.push_back(node.id);
    zones_.push_back(std::move(zone));
  }
}

int NumaCapacity::NumaOfCpu(int cpu) const {
  auto it = numa_of_cpu_.find(cpu);
  return it == numa_of_cpu_.end() ? -1 : it->second;
}

int NumaCapacity::AllocatableCpus(int numa_id) const {
  for (const auto& z : zones_) {
    if (z.id == numa_id) return static_cast<int>(z.cpus);
  }
  return 0;
}

int NumaCapacity::MinNumaNodes(std::int64_t exclusive_cpus,
                               const std::map<std::string, std::int64_t>& memory) const {
  bool asks = exclusive_cpus > 0;
  for (const auto& [r, v] : memory) asks = asks || v > 0;
  if (!asks) return 0;
  const std::size_t n = zones_.size();
  auto holds = [&](std::int64_t cpus, const std::map<std::string, std::int64_t>& mem) {
    if (cpus < exclusive_cpus) return false;
    for (const auto& [r, v] : memory) {
      auto it = mem.find(r);
      if (v > 0 && (it == mem.end() || it->second < v)) return false;
    }
    return true;
  };
  if (n <= 12) {
    int best = static_cast<int>(n) + 1;
    for (std::uint32_t mask = 1; mask < (1u << n); ++mask) {
      const int k = std::popcount(mask);
      if (k >= best) continue;
      std::int64_t cpus = 0;
      std::map<std::string, std::int64_t> mem;
      for (std::size_t i = 0; i < n; ++i) {
        if (!(mask & (1u << i))) continue;
        cpus += zones_[i].cpus;
        for (const auto& [r, v] : zones_[i].memory) mem[r] += v;
      }
      if (holds(cpus, mem)) best = k;
    }
    return best > static_cast<int>(n) ? static_cast<int>(n) : best;
  }
  // Lower bound: each resource on its own from the largest zones.
  int needed = 1;
  auto need_for = [&](auto value_of, std::int64_t want) {
    std::vector<std::int64_t> values;
    for (const auto& z : zones_) values.push_back(value_of(z));
    std::sort(values.rbegin(), values.rend());
    std::int64_t sum = 0;
    for (std::size_t k = 0; k < values.size(); ++k) {
      sum += values[k];
      if (sum >= want) return static_cast<int>(k + 1);
    }
    return static_cast<int>(values.size());
  };
  if (exclusive_cpus > 0) {
    needed = std::max(needed, need_for([](const Zone& z) { return z.cpus; }, exclusive_cpus));
  }
  for (const auto& [r, v] : memory) {
    if (v <= 0) continue;
    needed = std::max(needed, need_for(
                                  [&r = r](const Zone& z) {
                                    auto it = z.memory.find(r);
                                    return it == z.memory.end() ? std::int64_t{0} : it->second;
                                  },
                                  v));
  }
  return needed;
}

std::vector<ContainerPlacement> ContainerPlacements(
    const numa::PodSpec& pod, const std::map<std::string, numa::ContainerAllocation>& allocations,
    const NumaCapacity& capacity) {
  std::vector<ContainerPlacement> out;
  auto one = [&](const numa::ContainerSpec& c) {
    ContainerPlacement p;
    p.name = c.name;
    std::set<int> numa;
    std::map<std::string, std::int64_t> memory;
    auto it = allocations.find(c.name);
    if (it != allocations.end()) {
      p.exclusive_cpus = static_cast<std::int64_t>(it->second.cpus.size());
      for (int cpu : it->second.cpus) {
        if (int id = capacity.NumaOfCpu(cpu); id >= 0) numa.insert(id);
      }
      for (const auto& [resource, ids] : it->second.memory_numa) {
        numa.insert(ids.begin(), ids.end());
        if (auto q = c.requests.find(resource); q != c.requests.end()) {
          memory[resource] = q->second.ValueCeil();
        }
      }
    }
    p.numa_nodes.assign(numa.begin(), numa.end());
    p.min_numa_nodes = capacity.MinNumaNodes(p.exclusive_cpus, memory);
    out.push_back(std::move(p));
  };
  for (const auto& c : pod.init_containers) one(c);
  for (const auto& c : pod.containers) one(c);
  return out;
}

}  // namespace numalign::sim
