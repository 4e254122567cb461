#pragma once

// Synthetic machines for the CPU Manager's unit tests (header-only, used by *_test.cpp).

#include <algorithm>
#include <string>

#include "numa/topology/machine.h"
#include "numa/topology/numa_id_map.h"

namespace numalign::numa::testing {

// `sockets` x `numas_per_socket` NUMA nodes x `cores_per_numa` cores x `threads` SMT threads,
// numbered like Linux on x86: the first threads of all cores get ids 0..cores-1, the second
// threads follow, so cpu c and c + total_cores are siblings. NUMA ids 0.., core ids = first
// thread id.
inline Machine SmtMachine(int sockets, int numas_per_socket, int cores_per_numa, int threads) {
  Machine machine;
  const int total_cores = sockets * numas_per_socket * cores_per_numa;
  for (int s = 0; s < sockets; ++s) {
    for (int n = 0; n < numas_per_socket; ++n) {
      NumaNodeInfo node;
      node.id = s * numas_per_socket + n;
      for (int c = 0; c < cores_per_numa; ++c) {
        const int core = node.id * cores_per_numa + c;
        for (int t = 0; t < threads; ++t) {
          const int cpu = core + t * total_cores;
          node.cpus.push_back(cpu);
          machine.cpus.push_back({cpu, core, s, node.id});
        }
      }
      std::sort(node.cpus.begin(), node.cpus.end());
      machine.numa_nodes.push_back(node);
    }
  }
  std::sort(machine.cpus.begin(), machine.cpus.end(),
            [](const LogicalCpu& a, const LogicalCpu& b) { return a.id < b.id; });
  return machine;
}

inline NumaIdMap IdsOf(const Machine& machine) {
  std::string error;
  return *NumaIdMap::Create(machine.node_ids(), &error);
}

}  // namespace numalign::numa::testing
