#include "bench_cluster.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "kube/objects/node_resource_topology.h"
#include "numa/topology/hwloc_loader.h"

namespace numalign::extender::bench {
namespace {

constexpr std::int64_t kMi = 1024 * 1024;
constexpr std::int64_t kGi = 1024 * kMi;

kube::NrtResource Resource(const std::string& name, std::int64_t capacity,
                           std::int64_t allocatable) {
  return {name, numa::Quantity::FromInt(capacity), numa::Quantity::FromInt(allocatable),
          numa::Quantity::FromInt(allocatable)};
}

kube::Json GuaranteedPod(const std::string& name, const std::string& node, std::int64_t cpus,
                         std::int64_t memory_mi, std::size_t sequence) {
  kube::Json requests = {{"cpu", std::to_string(cpus)},
                         {"memory", std::to_string(memory_mi) + "Mi"}};
  // Distinct creation times give every replay the same order (the view sorts by them).
  char created[64];
  std::snprintf(created, sizeof(created), "2026-11-%02zuT%02zu:%02zu:%02zuZ", 1 + sequence / 86400,
                sequence / 3600 % 24, sequence / 60 % 60, sequence % 60);
  return {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata",
       {{"name", name},
        {"namespace", "bench"},
        {"uid", "uid-" + name},
        {"creationTimestamp", created}}},
      {"spec",
       {{"nodeName", node},
        {"containers",
         kube::Json::array(
             {{{"name", "c"}, {"resources", {{"requests", requests}, {"limits", requests}}}}})}}},
      {"status", {{"phase", "Running"}}}};
}

}  // namespace

std::string NodeName(std::size_t i) {
  return "bench-node-" + std::to_string(i);
}

std::vector<BenchMachine> LoadMachines(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".xml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<BenchMachine> machines;
  for (const auto& file : files) {
    std::string error;
    auto machine = numa::LoadMachineFromHwlocXml(file.string(), &error);
    if (!machine) continue;
    const bool has_cpus = std::any_of(machine->numa_nodes.begin(), machine->numa_nodes.end(),
                                      [](const auto& n) { return !n.cpus.empty(); });
    if (has_cpus) machines.push_back({file.stem().string(), std::move(*machine)});
  }
  if (machines.empty()) {
    throw std::runtime_error("no usable hwloc XML topology in " + dir.string() +
                             " (set NUMALIGN_SHARED to the shared/ directory)");
  }
  return machines;
}

kube::Json NrtForMachine(const std::string& node, const numa::Machine& machine,
                         const std::string& policy) {
  kube::NodeResourceTopologyBuilder b(node);
  b.Attribute("topologyManagerPolicy", policy)
      .Attribute("topologyManagerScope", "container")
      .Attribute("numalign.io/pinningMode", "agent");
  bool reserved = false;
  for (const auto& n : machine.numa_nodes) {
    kube::NrtZone zone;
    zone.name = "node-" + std::to_string(n.id);
    zone.type = "Node";
    for (const auto& other : machine.numa_nodes) {
      zone.costs.push_back({"node-" + std::to_string(other.id),
                            machine.distance(n.id, other.id).value_or(n.id == other.id ? 10 : 20)});
    }
    std::int64_t cpus = static_cast<std::int64_t>(n.cpus.size());
    std::uint64_t hugepages = 0;
    for (const auto& [size, bytes] : n.hugepages) hugepages += bytes;
    std::int64_t memory = static_cast<std::int64_t>(n.memory - std::min(n.memory, hugepages));
    // The first NUMA node with CPUs carries the reservations (memory too when it has some).
    const bool reserve_here = !reserved && cpus > 1;
    const bool reserve_memory = reserve_here && memory > 2 * kGi;
    reserved = reserved || reserve_here;
    zone.resources.push_back(Resource("cpu", cpus, cpus - (reserve_here ? 1 : 0)));
    zone.resources.push_back(Resource("memory", memory, memory - (reserve_memory ? kGi : 0)));
    b.Zone(zone);
  }
  return b.Build();
}

ClusterStats BuildCluster(NodeView& view, const std::vector<BenchMachine>& machines,
                          std::size_t nodes, std::size_t pods, double fill) {
  static const char* kPolicies[] = {"single-numa-node", "restricted", "best-effort", "none"};
  ClusterStats stats;
  stats.nodes = nodes;
  std::size_t sequence = 0;
  double allocatable_cpus = 0, accounted_cpus = 0;
  for (std::size_t i = 0; i < nodes; ++i) {
    const numa::Machine& machine = machines[i % machines.size()].machine;
    const std::string node = NodeName(i);
    const char* policy = kPolicies[(i / machines.size()) % 4];
    view.UpsertNrt(NrtForMachine(node, machine, policy));
    auto state = view.Get(node);
    if (!state || !state->admitter) {
      ++stats.unmanaged[machines[i % machines.size()].name + "/" + policy + ": " +
                        (state ? state->unmanaged_reason : "no state")];
      continue;
    }
    // Pods per node as even as `pods` allows; each pod about fill / pods_here of the node, and
    // never wider than one NUMA node so that single-numa-node nodes take them too.
    const std::size_t pods_here = pods / nodes + (i < pods % nodes ? 1 : 0);
    if (pods_here == 0) continue;
    std::int64_t node_cpus = 0, node_memory = 0, smallest_numa_cpus = 1 << 30;
    std::int64_t smallest_numa_memory = std::int64_t(1) << 62;
    for (const auto& n : machine.numa_nodes) {
      if (n.cpus.empty()) continue;
      node_cpus += static_cast<std::int64_t>(n.cpus.size());
      node_memory += static_cast<std::int64_t>(n.memory);
      smallest_numa_cpus = std::min<std::int64_t>(smallest_numa_cpus, n.cpus.size());
      smallest_numa_memory = std::min<std::int64_t>(smallest_numa_memory, n.memory);
    }
    const double share = fill / static_cast<double>(pods_here);
    const std::int64_t cpus =
        std::clamp<std::int64_t>(static_cast<std::int64_t>(node_cpus * share), 1,
                                 std::max<std::int64_t>(1, smallest_numa_cpus - 1));
    const std::int64_t memory_mi = std::clamp<std::int64_t>(
        static_cast<std::int64_t>(node_memory * share / kMi), 64, smallest_numa_memory / kMi / 2);
    allocatable_cpus += node_cpus - 1;
    for (std::size_t p = 0; p < pods_here; ++p, ++sequence) {
      view.UpsertPod(
          GuaranteedPod("p" + std::to_string(sequence), node, cpus, memory_mi, sequence));
    }
    stats.pods += pods_here;
    auto filled = view.Get(node);
    stats.accounted += filled->pod_uids.size();
    accounted_cpus += static_cast<double>(filled->pod_uids.size() * cpus);
  }
  stats.cpu_fill_pct = allocatable_cpus > 0 ? 100.0 * accounted_cpus / allocatable_cpus : 0;
  return stats;
}

}  // namespace numalign::extender::bench
