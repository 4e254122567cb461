#include "numa/cpumanager/cpu_topology.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace numalign::numa {
namespace {

const CpuSet& EmptySet() {
  static const CpuSet empty;
  return empty;
}

}  // namespace

std::optional<CpuTopology> CpuTopology::Create(const Machine& machine, std::string* error) {
  CpuTopology topo;
  // cAdvisor's cores: threads sharing NUMA node, socket and reported core id.
  std::map<std::tuple<int, int, int>, CpuSet> reported_cores;
  std::map<int, CpuSet> numas, sockets;
  for (const LogicalCpu& cpu : machine.cpus) {
    if (cpu.id < 0 || cpu.id >= CpuSet::kMaxCpuId) {
      if (error) *error = "cpu id " + std::to_string(cpu.id) + " is out of range";
      return std::nullopt;
    }
    if (topo.all_.Contains(cpu.id)) {
      if (error) *error = "cpu " + std::to_string(cpu.id) + " is listed twice";
      return std::nullopt;
    }
    topo.all_.Add(cpu.id);
    reported_cores[{cpu.numa_node, cpu.socket, cpu.core}].Add(cpu.id);
    numas[cpu.numa_node].Add(cpu.id);
    sockets[cpu.socket].Add(cpu.id);
  }
  topo.num_cpus_ = static_cast<int>(machine.cpus.size());
  if (!machine.cpus.empty()) topo.placement_by_cpu_.resize(topo.all_.ToVector().back() + 1);

  std::map<int, CpuSet> cores;
  for (const auto& [key, threads] : reported_cores) {
    const int unique_core = threads.Min();
    cores[unique_core] = threads;
    threads.ForEach([&](int cpu) {
      topo.placement_by_cpu_[cpu] = {unique_core, std::get<1>(key), std::get<0>(key)};
    });
  }
  for (auto& [id, cpus] : numas) {
    topo.numas_.push_back({id, cpus});
    topo.numa_ids_.push_back(id);
  }
  for (auto& [id, cpus] : sockets) {
    topo.sockets_.push_back({id, cpus});
    topo.socket_ids_.push_back(id);
  }
  for (auto& [id, cpus] : cores) {
    topo.cores_.push_back({id, cpus});
    topo.core_ids_.push_back(id);
  }
  return topo;
}

const CpuPlacement* CpuTopology::Placement(int cpu) const {
  if (cpu < 0 || static_cast<std::size_t>(cpu) >= placement_by_cpu_.size()) return nullptr;
  const CpuPlacement& placement = placement_by_cpu_[cpu];
  return placement.core < 0 ? nullptr : &placement;
}

const CpuTopology::Unit* CpuTopology::Find(const std::vector<Unit>& units, int id) {
  const auto it = std::lower_bound(units.begin(), units.end(), id,
                                   [](const Unit& u, int v) { return u.id < v; });
  return it != units.end() && it->id == id ? &*it : nullptr;
}

const CpuSet& CpuTopology::CpusInNuma(int numa) const {
  const Unit* unit = Find(numas_, numa);
  return unit ? unit->cpus : EmptySet();
}

const CpuSet& CpuTopology::CpusInSocket(int socket) const {
  const Unit* unit = Find(sockets_, socket);
  return unit ? unit->cpus : EmptySet();
}

const CpuSet& CpuTopology::CpusInCore(int core) const {
  const Unit* unit = Find(cores_, core);
  return unit ? unit->cpus : EmptySet();
}

CpuSet CpuTopology::CpusInNumas(const std::vector<int>& numas) const {
  CpuSet out;
  for (int numa : numas) out = out.Union(CpusInNuma(numa));
  return out;
}

std::vector<int> CpuTopology::UnitsHolding(const std::vector<Unit>& units, const CpuSet& cpus) {
  std::vector<int> out;
  for (const Unit& unit : units) {
    if (unit.cpus.Intersects(cpus)) out.push_back(unit.id);
  }
  return out;
}

std::vector<int> CpuTopology::SocketsInNuma(int numa, const CpuSet& cpus) const {
  return UnitsHolding(sockets_, cpus.Intersection(CpusInNuma(numa)));
}

std::vector<int> CpuTopology::NumasInSocket(int socket, const CpuSet& cpus) const {
  return UnitsHolding(numas_, cpus.Intersection(CpusInSocket(socket)));
}

std::vector<int> CpuTopology::CoresInSocket(int socket, const CpuSet& cpus) const {
  return UnitsHolding(cores_, cpus.Intersection(CpusInSocket(socket)));
}

std::vector<int> CpuTopology::CoresInNuma(int numa, const CpuSet& cpus) const {
  return UnitsHolding(cores_, cpus.Intersection(CpusInNuma(numa)));
}

std::vector<int> CpuTopology::NumasOf(const CpuSet& cpus) const {
  return UnitsHolding(numas_, cpus);
}

std::vector<int> CpuTopology::SocketsOf(const CpuSet& cpus) const {
  return UnitsHolding(sockets_, cpus);
}

}  // namespace numalign::numa
