#pragma once

#include "numa/topology/machine.h"

namespace numalign::agent::podresources {

inline constexpr std::uint64_t kGiB = 1024ULL * 1024 * 1024;

// Two NUMA nodes of 4 CPUs (0-3, 4-7), 16 GiB each, a 1 GiB pool of 2 MiB pages each.
inline numa::Machine TwoNodeMachine() {
  numa::Machine m;
  for (int node = 0; node < 2; ++node) {
    numa::NumaNodeInfo info;
    info.id = node;
    for (int c = 0; c < 4; ++c) {
      const int cpu = node * 4 + c;
      info.cpus.push_back(cpu);
      m.cpus.push_back({.id = cpu, .core = cpu, .socket = node, .numa_node = node});
    }
    info.memory = 16 * kGiB;
    info.hugepages[2 * 1024 * 1024] = kGiB;
    m.numa_nodes.push_back(info);
  }
  m.distances = {{0, {{0, 10}, {1, 21}}}, {1, {{0, 21}, {1, 10}}}};
  return m;
}

}  // namespace numalign::agent::podresources
