#include "extender/score/numa_score.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

namespace numalign::extender {

std::vector<ZoneFree> FreePerZone(const numa::NodeAdmitter& node) {
  std::vector<ZoneFree> zones;
  const numa::Machine& machine = node.machine();
  for (const auto& info : machine.numa_nodes) {
    ZoneFree zone{info.id, {}};
    double cpus = static_cast<double>(info.cpus.size());
    if (const auto& cpu = node.cpu_policy()) {
      numa::CpuSet free = cpu->AvailableCpus();
      cpus = 0;
      for (int c : info.cpus) cpus += free.Contains(c) ? 1 : 0;
    }
    zone.available["cpu"] = cpus;
    if (const auto& memory = node.memory_policy()) {
      const auto& state = memory->machine_state();
      for (const auto& n : state.nodes()) {
        if (n.id != info.id) continue;
        for (std::size_t r = 0; r < state.resources().size() && r < n.tables.size(); ++r) {
          zone.available[state.resources()[r]] = static_cast<double>(n.tables[r].free);
        }
      }
    } else {
      zone.available["memory"] = static_cast<double>(info.memory);
    }
    zones.push_back(std::move(zone));
  }
  return zones;
}

double BalancedShare(const std::vector<double>& fractions) {
  double mean = 0;
  for (double f : fractions) mean += f;
  mean /= static_cast<double>(fractions.size());
  double variance = 0;
  for (double f : fractions) variance += (f - mean) * (f - mean);
  variance /= static_cast<double>(fractions.size());
  return 1 - variance;
}

double ZoneScore(ScoringStrategy strategy, const std::map<std::string, double>& request,
                 const std::map<std::string, double>& available,
                 const std::map<std::string, std::int64_t>& weights) {
  if (strategy == ScoringStrategy::kBalanced) {
    std::vector<double> fractions;
    for (const auto& [resource, amount] : request) {
      if (!weights.count(resource)) continue;
      auto it = available.find(resource);
      double avail = it == available.end() ? 0 : it->second;
      double f = avail <= 0 ? 1 : amount / avail;
      if (f > 1) return 0;
      fractions.push_back(f);
    }
    if (fractions.empty()) return 100;
    return BalancedShare(fractions) * 100;
  }
  double weighted = 0;
  double weight_sum = 0;
  for (const auto& [resource, weight] : weights) {
    auto req = request.find(resource);
    if (req == request.end()) continue;
    auto it = available.find(resource);
    double avail = it == available.end() ? 0 : it->second;
    double s = 0;
    if (avail > 0 && req->second <= avail) {
      s = strategy == ScoringStrategy::kMostAllocated ? req->second * 100 / avail
                                                      : (avail - req->second) * 100 / avail;
    }
    weighted += static_cast<double>(weight) * s;
    weight_sum += static_cast<double>(weight);
  }
  return weight_sum == 0 ? 100 : weighted / weight_sum;
}

namespace {

std::map<std::string, double> RequestOf(std::int64_t cpus, const numa::MemoryRequest& memory) {
  std::map<std::string, double> request;
  if (cpus > 0) request["cpu"] = static_cast<double>(cpus);
  for (const auto& [resource, bytes] : memory) {
    if (bytes > 0) request[resource] = static_cast<double>(bytes);
  }
  return request;
}

// Minimum non-zero zone score: assume the kubelet picks the worst zone that still fits.
double MinNonZero(ScoringStrategy strategy, const std::map<std::string, double>& request,
                  const std::vector<ZoneFree>& zones,
                  const std::map<std::string, std::int64_t>& weights) {
  double best = 0;
  for (const auto& zone : zones) {
    double s = ZoneScore(strategy, request, zone.available, weights);
    if (s > 0 && (best == 0 || s < best)) best = s;
  }
  return best;
}

double AverageDistance(const numa::Machine& machine, const std::vector<int>& ids) {
  if (ids.empty()) return 0;
  double sum = 0;
  for (int a : ids) {
    for (int b : ids) sum += machine.distance(a, b).value_or(a == b ? 10 : 20);
  }
  return sum / static_cast<double>(ids.size() * ids.size());
}

double SmallestAverageDistance(const numa::Machine& machine, std::size_t k) {
  std::vector<int> all = machine.node_ids();
  double best = std::numeric_limits<double>::max();
  std::vector<int> chosen;
  std::function<void(std::size_t)> walk = [&](std::size_t start) {
    if (chosen.size() == k) {
      best = std::min(best, AverageDistance(machine, chosen));
      return;
    }
    for (std::size_t i = start; i < all.size(); ++i) {
      chosen.push_back(all[i]);
      walk(i + 1);
      chosen.pop_back();
    }
  };
  if (k <= all.size() && all.size() <= 16) walk(0);
  return best;
}

double LeastNumaNodes(const ScoringOptions& options, const numa::NodeAdmitter& node,
                      const numa::AdmitResult& admitted) {
  double unit = 100.0 / std::max(1, options.max_numa_nodes);
  std::set<int> union_ids;
  std::size_t k = 0;
  for (const auto& [name, allocation] : admitted.containers) {
    std::set<int> ids;
    for (int cpu : allocation.cpus) {
      for (const auto& n : node.machine().numa_nodes) {
        if (std::binary_search(n.cpus.begin(), n.cpus.end(), cpu)) ids.insert(n.id);
      }
    }
    for (const auto& [resource, numa_ids] : allocation.memory_numa) {
      ids.insert(numa_ids.begin(), numa_ids.end());
    }
    k = std::max(k, ids.size());
    union_ids.insert(ids.begin(), ids.end());
  }
  if (k == 0) return 100;  // nothing NUMA-bound: every node is as good
  double score = 100 - static_cast<double>(k) * unit;
  // The closest set is judged on the NUMA nodes the largest container spans together.
  std::vector<int> widest;
  for (const auto& [name, allocation] : admitted.containers) {
    std::set<int> ids;
    for (const auto& [resource, numa_ids] : allocation.memory_numa) {
      ids.insert(numa_ids.begin(), numa_ids.end());
    }
    if (ids.size() == k) widest.assign(ids.begin(), ids.end());
  }
  if (widest.empty()) widest.assign(union_ids.begin(), union_ids.end());
  if (widest.size() == k &&
      AverageDistance(node.machine(), widest) <= SmallestAverageDistance(node.machine(), k)) {
    score += unit / 2;
  }
  return std::clamp(score, 0.0, 100.0);
}

}  // namespace

double NodeScore100(const ScoringOptions& options, const numa::NodeAdmitter& before,
                    const numa::PodRequests& pod, const numa::AdmitResult& admitted) {
  if (!admitted.admit) return 0;
  if (options.strategy == ScoringStrategy::kLeastNumaNodes) {
    return LeastNumaNodes(options, before, admitted);
  }
  std::vector<ZoneFree> zones = FreePerZone(before);
  if (before.topology_policy().name() != numa::TopologyPolicyName::kSingleNumaNode) {
    ZoneFree whole{-1, {}};
    for (const auto& z : zones) {
      for (const auto& [r, v] : z.available) whole.available[r] += v;
    }
    zones = {whole};
  }
  if (before.scope() == numa::TopologyScopeName::kPod) {
    return MinNonZero(options.strategy, RequestOf(pod.pod_exclusive_cpus, pod.pod_memory), zones,
                      options.weights);
  }
  double sum = 0;
  int counted = 0;
  for (const auto& c : pod.containers) {
    auto request = RequestOf(c.exclusive_cpus, c.memory);
    if (request.empty()) continue;
    sum += MinNonZero(options.strategy, request, zones, options.weights);
    ++counted;
  }
  return counted == 0 ? 100 : sum / counted;
}

std::int64_t ToExtenderScore(double score100) {
  return std::clamp<std::int64_t>(std::llround(score100 / 10.0), 0, 10);
}

}  // namespace numalign::extender
