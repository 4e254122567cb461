#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "extender/view/node_view.h"
#include "numa/topology/machine.h"

// The benchmark's cluster: nodes of real machine topologies (hwloc XML recordings), each with
// the NodeResourceTopology numalign-agent would publish for it and Guaranteed pods bound to it,
// fed straight into a NodeView as the informers would.
namespace numalign::extender::bench {

struct BenchMachine {
  std::string name;  // the XML file's stem
  numa::Machine machine;
};

// Every XML under `dir` with at least one NUMA node holding CPUs; throws naming the directory
// when none loads.
std::vector<BenchMachine> LoadMachines(const std::filesystem::path& dir);

// The NRT of `node` running `machine` (agent mode, container scope): per NUMA node the CPUs and
// memory as capacity; NUMA node 0 reserves one CPU and 1Gi (kube/system reserved).
kube::Json NrtForMachine(const std::string& node, const numa::Machine& machine,
                         const std::string& policy);

struct ClusterStats {
  std::size_t nodes = 0;
  std::size_t pods = 0;       // pods fed
  std::size_t accounted = 0;  // pods the view admitted on their node
  double cpu_fill_pct = 0;    // exclusive CPUs accounted / allocatable CPUs, whole cluster
  // Nodes the view could not manage (the kubelet would refuse the configuration), by
  // "machine/policy: reason".
  std::map<std::string, std::size_t> unmanaged;
};

// `nodes` nodes cycling over `machines` and the four Topology Manager policies, `pods` pods
// spread evenly, each node filled to about `fill` of its allocatable CPUs and memory.
ClusterStats BuildCluster(NodeView& view, const std::vector<BenchMachine>& machines,
                          std::size_t nodes, std::size_t pods, double fill);

// "bench-node-<i>".
std::string NodeName(std::size_t i);

}  // namespace numalign::extender::bench
