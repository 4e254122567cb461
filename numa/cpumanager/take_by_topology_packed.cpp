#include "numa/cpumanager/take_by_topology.h"

namespace numalign::numa {

TakeResult TakeByTopologyNumaPacked(const CpuTopology& topo, const CpuSet& available, int count,
                                    CpuSortingStrategy strategy) {
  CpuAccumulator acc(topo, available, count, strategy);
  if (acc.IsSatisfied()) return {};
  if (acc.IsFailed()) {
    return {CpuSet(),
            "not enough cpus available to satisfy request: requested=" + std::to_string(count) +
                ", available=" + std::to_string(available.size())};
  }
  acc.TakeFullFirstLevel();
  if (acc.IsSatisfied()) return {acc.Result(), ""};
  acc.TakeFullSecondLevel();
  if (acc.IsSatisfied()) return {acc.Result(), ""};
  // Spread means one thread per core first, so whole cores are never claimed.
  if (strategy != CpuSortingStrategy::kSpread) {
    acc.TakeFullCores();
    if (acc.IsSatisfied()) return {acc.Result(), ""};
  }
  acc.TakeRemainingCpus();
  if (acc.IsSatisfied()) return {acc.Result(), ""};
  return {CpuSet(), "failed to allocate cpus"};
}

TakeResult TakeByTopologyForOptions(const CpuTopology& topo, const StaticPolicyOptions& options,
                                    const CpuSet& available, int count) {
  const CpuSortingStrategy strategy = options.distribute_cpus_across_cores
                                          ? CpuSortingStrategy::kSpread
                                          : CpuSortingStrategy::kPacked;
  if (options.distribute_cpus_across_numa) {
    const int group_size = options.full_pcpus_only ? topo.CpusPerCore() : 1;
    return TakeByTopologyNumaDistributed(topo, available, count, group_size, strategy);
  }
  return TakeByTopologyNumaPacked(topo, available, count, strategy);
}

}  // namespace numalign::numa
