#include "numa/cpumanager/cpu_accumulator.h"

#include <algorithm>

namespace numalign::numa {

CpuAccumulator::CpuAccumulator(const CpuTopology& topo, const CpuSet& available, int needed,
                               CpuSortingStrategy strategy)
    : topo_(&topo),
      free_(available.Intersection(topo.AllCpus())),
      needed_(needed),
      strategy_(strategy) {}

void CpuAccumulator::Take(const CpuSet& cpus) {
  result_ = result_.Union(cpus);
  free_ = free_.Difference(result_);
  // Like the kubelet, count what was asked to be taken, even if part of it was taken before.
  needed_ -= static_cast<int>(cpus.size());
}

template <typename CpusOf>
void CpuAccumulator::SortByFreeCpus(std::vector<int>& ids, CpusOf cpus_of) const {
  std::vector<std::pair<std::size_t, int>> keyed;
  keyed.reserve(ids.size());
  for (int id : ids) keyed.emplace_back(cpus_of(id).IntersectionSize(free_), id);
  std::sort(keyed.begin(), keyed.end());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = keyed[i].second;
}

std::vector<int> CpuAccumulator::SortedNumaNodes() const {
  auto numa_cpus = [this](int id) -> const CpuSet& { return topo_->CpusInNuma(id); };
  if (topo_->NumaFirst()) {
    std::vector<int> numas = topo_->NumasOf(free_);
    SortByFreeCpus(numas, numa_cpus);
    return numas;
  }
  std::vector<int> result;
  for (int socket : SortedSockets()) {
    std::vector<int> numas = topo_->NumasInSocket(socket, free_);
    SortByFreeCpus(numas, numa_cpus);
    result.insert(result.end(), numas.begin(), numas.end());
  }
  return result;
}

std::vector<int> CpuAccumulator::SortedSockets() const {
  auto socket_cpus = [this](int id) -> const CpuSet& { return topo_->CpusInSocket(id); };
  if (!topo_->NumaFirst()) {
    std::vector<int> sockets = topo_->SocketsOf(free_);
    SortByFreeCpus(sockets, socket_cpus);
    return sockets;
  }
  std::vector<int> result;
  for (int numa : SortedNumaNodes()) {
    std::vector<int> sockets = topo_->SocketsInNuma(numa, free_);
    SortByFreeCpus(sockets, socket_cpus);
    result.insert(result.end(), sockets.begin(), sockets.end());
  }
  return result;
}

std::vector<int> CpuAccumulator::SortedCores() const {
  auto core_cpus = [this](int id) -> const CpuSet& { return topo_->CpusInCore(id); };
  std::vector<int> result;
  if (topo_->NumaFirst()) {
    for (int socket : SortedSockets()) {
      std::vector<int> cores = topo_->CoresInSocket(socket, free_);
      SortByFreeCpus(cores, core_cpus);
      result.insert(result.end(), cores.begin(), cores.end());
    }
  } else {
    for (int numa : SortedNumaNodes()) {
      std::vector<int> cores = topo_->CoresInNuma(numa, free_);
      SortByFreeCpus(cores, core_cpus);
      result.insert(result.end(), cores.begin(), cores.end());
    }
  }
  return result;
}

std::vector<int> CpuAccumulator::SortedCpus() const {
  std::vector<int> result;
  if (strategy_ == CpuSortingStrategy::kSpread) {
    for (int socket : SortedSockets()) {
      for (int cpu : free_.Intersection(topo_->CpusInSocket(socket)).ToVector()) {
        result.push_back(cpu);
      }
    }
    return result;
  }
  for (int core : SortedCores()) {
    for (int cpu : free_.Intersection(topo_->CpusInCore(core)).ToVector()) result.push_back(cpu);
  }
  return result;
}

void CpuAccumulator::TakeFullFirstLevel() {
  if (topo_->NumaFirst()) {
    TakeFullNumaNodes();
  } else {
    TakeFullSockets();
  }
}

void CpuAccumulator::TakeFullSecondLevel() {
  if (topo_->NumaFirst()) {
    TakeFullSockets();
  } else {
    TakeFullNumaNodes();
  }
}

void CpuAccumulator::TakeFullNumaNodes() {
  std::vector<int> fully_free;
  for (int numa : SortedNumaNodes()) {
    const CpuSet& cpus = topo_->CpusInNuma(numa);
    if (cpus.IntersectionSize(free_) == cpus.size()) fully_free.push_back(numa);
  }
  for (int numa : fully_free) {
    const CpuSet& cpus = topo_->CpusInNuma(numa);
    if (!NeedsAtLeast(static_cast<int>(cpus.size()))) continue;
    Take(cpus);
  }
}

void CpuAccumulator::TakeFullSockets() {
  // The kubelet calls a socket free when its free CPUs equal CPUs-per-socket of the machine.
  std::vector<int> fully_free;
  for (int socket : SortedSockets()) {
    const std::size_t free_in_socket = topo_->CpusInSocket(socket).IntersectionSize(free_);
    if (free_in_socket == static_cast<std::size_t>(topo_->CpusPerSocket())) {
      fully_free.push_back(socket);
    }
  }
  for (int socket : fully_free) {
    const CpuSet& cpus = topo_->CpusInSocket(socket);
    if (!NeedsAtLeast(static_cast<int>(cpus.size()))) continue;
    Take(cpus);
  }
}

void CpuAccumulator::TakeFullCores() {
  std::vector<int> fully_free;
  for (int core : SortedCores()) {
    const std::size_t free_in_core = topo_->CpusInCore(core).IntersectionSize(free_);
    if (free_in_core == static_cast<std::size_t>(topo_->CpusPerCore())) {
      fully_free.push_back(core);
    }
  }
  for (int core : fully_free) {
    const CpuSet& cpus = topo_->CpusInCore(core);
    if (!NeedsAtLeast(static_cast<int>(cpus.size()))) continue;
    Take(cpus);
  }
}

void CpuAccumulator::TakeRemainingCpus() {
  for (int cpu : SortedCpus()) {
    Take(CpuSet::Of({cpu}));
    if (IsSatisfied()) return;
  }
}

std::pair<int, int> CpuAccumulator::RangeNumaNodesNeeded(int group_size) const {
  const int numa_nodes = topo_->NumNumaNodes();
  const int numa_nodes_with_free_cpus = static_cast<int>(topo_->NumasOf(free_).size());
  const int cpus = static_cast<int>(topo_->AllCpus().size());
  if (group_size < 1 || numa_nodes == 0 || cpus == 0 || needed_ < 1) return {1, 0};
  const int groups = (cpus - 1) / group_size + 1;
  const int groups_per_numa = (groups - 1) / numa_nodes + 1;
  const int groups_needed = (needed_ - 1) / group_size + 1;
  const int min_numas = (groups_needed - 1) / groups_per_numa + 1;
  const int max_numas = std::min(groups_needed, numa_nodes_with_free_cpus);
  return {min_numas, max_numas};
}

}  // namespace numalign::numa
