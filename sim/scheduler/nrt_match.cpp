#include "sim/scheduler/nrt_match.h"

#include <algorithm>
#include <limits>

#include "extender/score/numa_score.h"

namespace numalign::sim {
namespace {

constexpr std::int64_t kMaxScore = 100;

bool IsHugepages(const std::string& r) {
  return r.starts_with("hugepages-");
}
bool IsNumaResource(const std::string& r) {
  return r == "cpu" || r == "memory" || IsHugepages(r);
}

std::int64_t Get(const ResourceList& list, const std::string& key) {
  auto it = list.find(key);
  return it == list.end() ? 0 : it->second;
}

ResourceList WithoutPods(ResourceList r) {
  r.erase("pods");
  return r;
}

// isResourceSetSuitable: a non-Guaranteed pod is not aligned by the kubelet, so its cpu,
// memory and hugepages fit any zone; otherwise the zone's available must cover the request.
bool Suitable(numa::QosClass qos, const std::string& resource, std::int64_t request,
              std::int64_t available) {
  if (qos != numa::QosClass::kGuaranteed && IsNumaResource(resource)) return true;
  return available >= request;
}

// resourcesAvailableInAnyNUMANodes: the lowest zone (index into zones) where every requested
// resource fits, or nullopt; `why` names the resource that failed.
std::optional<std::size_t> AnyNumaNode(const std::vector<NrtZone>& zones,
                                       const ResourceList& request, numa::QosClass qos,
                                       const ResourceList& node_allocatable, std::string* why) {
  if (zones.empty()) return std::nullopt;
  std::vector<bool> mask(zones.size(), true);
  for (const auto& [resource, amount] : request) {
    if (amount == 0) continue;
    if (!node_allocatable.count(resource)) {
      *why = "Insufficient " + resource;
      return std::nullopt;
    }
    bool reported = false;
    std::vector<bool> fits(zones.size(), false);
    for (std::size_t z = 0; z < zones.size(); ++z) {
      auto it = zones[z].available.find(resource);
      if (it == zones[z].available.end()) continue;
      reported = true;
      fits[z] = Suitable(qos, resource, amount, it->second);
    }
    if (!reported && !IsNumaResource(resource)) continue;  // host-level: not NUMA-checked
    bool any = false;
    for (std::size_t z = 0; z < zones.size(); ++z) {
      mask[z] = mask[z] && fits[z];
      any = any || mask[z];
    }
    if (!any) {
      *why = resource;
      return std::nullopt;
    }
  }
  for (std::size_t z = 0; z < zones.size(); ++z) {
    if (mask[z]) return z;
  }
  return std::nullopt;
}

void Subtract(NrtZone& zone, const ResourceList& request, numa::QosClass qos) {
  for (const auto& [resource, amount] : request) {
    auto it = zone.available.find(resource);
    if (it == zone.available.end()) continue;  // not reported by the zone: not accounted
    if (qos != numa::QosClass::kGuaranteed && IsNumaResource(resource)) continue;
    it->second -= amount;
  }
}

std::int64_t Weight(const NrtScoringOptions& options, const std::string& resource) {
  auto it = options.weights.find(resource);
  return it == options.weights.end() || it->second < 1 ? 1 : it->second;
}

std::int64_t ZoneScore(const ResourceList& request, const NrtZone& zone,
                       const NrtScoringOptions& options) {
  if (options.strategy == NrtScoringStrategy::kBalancedAllocation) {
    std::vector<double> fractions;
    for (const auto& [resource, amount] : request) {
      const std::int64_t avail = Get(zone.available, resource);
      const double f = avail <= 0 ? 1.0 : static_cast<double>(amount) / static_cast<double>(avail);
      if (f > 1) return 0;
      fractions.push_back(f);
    }
    if (fractions.empty()) return 0;
    return static_cast<std::int64_t>(extender::BalancedShare(fractions) * kMaxScore);
  }
  std::int64_t sum = 0, weights = 0;
  for (const auto& [resource, amount] : request) {
    const std::int64_t avail = Get(zone.available, resource);
    std::int64_t s = 0;
    if (avail > 0 && amount <= avail) {
      s = options.strategy == NrtScoringStrategy::kMostAllocated
              ? amount * kMaxScore / avail
              : (avail - amount) * kMaxScore / avail;
    }
    const std::int64_t w = Weight(options, resource);
    sum += s * w;
    weights += w;
  }
  return weights == 0 ? 0 : sum / weights;
}

// The smallest non-zero zone score: a zone scoring 0 cannot take the request at all, and the
// kubelet may pick the worst of the others.
std::int64_t MinNonZero(const ResourceList& request, const std::vector<NrtZone>& zones,
                        const NrtScoringOptions& options) {
  std::int64_t min = 0;
  for (const auto& zone : zones) {
    const std::int64_t s = ZoneScore(request, zone, options);
    if (min == 0 || (s != 0 && s < min)) min = s;
  }
  return min;
}

std::vector<ResourceList> ContainerRequestsInOrder(const numa::PodSpec& pod) {
  std::vector<ResourceList> out;
  for (const auto& c : pod.init_containers) out.push_back(ContainerSchedulingRequests(c));
  for (const auto& c : pod.containers) out.push_back(ContainerSchedulingRequests(c));
  return out;
}

// --- LeastNUMANodes ---------------------------------------------------------------------------

double AverageCost(const std::vector<NrtZone>& zones, const std::vector<std::size_t>& set) {
  double sum = 0;
  std::size_t pairs = 0;
  for (std::size_t a : set) {
    for (std::size_t b : set) {
      auto it = zones[a].costs.find(zones[b].id);
      sum += it == zones[a].costs.end() ? 0 : it->second;
      ++pairs;
    }
  }
  return pairs == 0 ? 0 : sum / static_cast<double>(pairs);
}

struct NumaChoice {
  std::vector<std::size_t> zones;
  bool optimal_distance = false;
};

// The smallest set of zones that together hold the request (every zone reporting every
// requested NUMA resource), preferring the lowest average cost; nullopt when none does.
std::optional<NumaChoice> MinNumaNodes(const std::vector<NrtZone>& zones,
                                       const ResourceList& request) {
  ResourceList numa_request;
  for (const auto& [r, v] : request) {
    if (v > 0 && IsNumaResource(r)) numa_request[r] = v;
  }
  const std::size_t n = zones.size();
  for (std::size_t k = 1; k <= n; ++k) {
    std::vector<std::size_t> combo(k);
    for (std::size_t i = 0; i < k; ++i) combo[i] = i;
    std::optional<NumaChoice> best;
    double best_qualifying = std::numeric_limits<double>::max();
    double best_any = std::numeric_limits<double>::max();
    while (true) {
      const double cost = AverageCost(zones, combo);
      best_any = std::min(best_any, cost);
      bool qualifies = true;
      for (const auto& [r, v] : numa_request) {
        std::int64_t sum = 0;
        for (std::size_t z : combo) {
          auto it = zones[z].available.find(r);
          if (it == zones[z].available.end()) {
            qualifies = false;
            break;
          }
          sum += it->second;
        }
        if (!qualifies || sum < v) {
          qualifies = false;
          break;
        }
      }
      if (qualifies && cost < best_qualifying) {
        best_qualifying = cost;
        best = NumaChoice{combo, false};
      }
      // Next combination in lexicographic order.
      std::size_t i = k;
      while (i > 0 && combo[i - 1] == n - k + i - 1) --i;
      if (i == 0) break;
      ++combo[i - 1];
      for (std::size_t j = i; j < k; ++j) combo[j] = combo[j - 1] + 1;
    }
    if (best) {
      best->optimal_distance = best_qualifying <= best_any;
      return best;
    }
  }
  return std::nullopt;
}

std::int64_t LeastNumaNodesScore(const numa::PodSpec& pod, const NrtData& nrt) {
  const std::int64_t unit = kMaxScore / std::max(1, nrt.max_numa_nodes);
  std::size_t max_k = 0;
  bool optimal = true;
  auto numa_relevant = [](const ResourceList& r) {
    for (const auto& [name, v] : r) {
      if (v > 0 && IsNumaResource(name)) return true;
    }
    return false;
  };
  if (nrt.scope == "pod") {
    const ResourceList request = WithoutPods(PodSchedulingRequests(pod));
    if (!numa_relevant(request)) return kMaxScore;
    auto choice = MinNumaNodes(nrt.zones, request);
    if (!choice) return 0;
    max_k = choice->zones.size();
    optimal = choice->optimal_distance;
  } else {
    std::vector<NrtZone> zones = nrt.zones;
    bool any = false;
    for (const ResourceList& request : ContainerRequestsInOrder(pod)) {
      if (!numa_relevant(request)) continue;
      any = true;
      auto choice = MinNumaNodes(zones, request);
      if (!choice) return 0;
      max_k = std::max(max_k, choice->zones.size());
      optimal = optimal && choice->optimal_distance;
      // Take the container's use from the chosen zones, greedily in zone order.
      for (const auto& [r, v] : request) {
        std::int64_t left = v;
        for (std::size_t z : choice->zones) {
          auto it = zones[z].available.find(r);
          if (it == zones[z].available.end() || left <= 0) continue;
          const std::int64_t take = std::min(left, std::max<std::int64_t>(0, it->second));
          it->second -= take;
          left -= take;
        }
      }
    }
    if (!any) return kMaxScore;
  }
  return kMaxScore - static_cast<std::int64_t>(max_k) * unit + (optimal ? unit / 2 : 0);
}

}  // namespace

std::optional<std::string> NrtFilter(const numa::PodSpec& pod, numa::QosClass qos,
                                     const NrtData& nrt, const ResourceList& node_allocatable) {
  if (qos == numa::QosClass::kBestEffort) return std::nullopt;  // no device resources here
  if (nrt.policy != "single-numa-node") return std::nullopt;    // only this one is modelled
  std::string why;
  if (nrt.scope == "pod") {
    const ResourceList request = WithoutPods(PodSchedulingRequests(pod));
    if (!AnyNumaNode(nrt.zones, request, qos, node_allocatable, &why)) {
      return "cannot align pod: " + pod.name;
    }
    return std::nullopt;
  }
  for (const auto& c : pod.init_containers) {
    if (!AnyNumaNode(nrt.zones, ContainerSchedulingRequests(c), qos, node_allocatable, &why)) {
      return "cannot align init container: " + c.name;
    }
  }
  std::vector<NrtZone> zones = nrt.zones;
  for (const auto& c : pod.containers) {
    const ResourceList request = ContainerSchedulingRequests(c);
    auto zone = AnyNumaNode(zones, request, qos, node_allocatable, &why);
    if (!zone) return "cannot align container: " + c.name;
    Subtract(zones[*zone], request, qos);
  }
  return std::nullopt;
}

std::int64_t NrtScore(const numa::PodSpec& pod, numa::QosClass qos, const NrtData& nrt,
                      const NrtScoringOptions& options) {
  if (qos != numa::QosClass::kGuaranteed) return kMaxScore;
  if (options.strategy == NrtScoringStrategy::kLeastNumaNodes) {
    return LeastNumaNodesScore(pod, nrt);
  }
  if (nrt.policy != "single-numa-node") return 0;
  if (nrt.scope == "pod") {
    return MinNonZero(WithoutPods(PodSchedulingRequests(pod)), nrt.zones, options);
  }
  const auto requests = ContainerRequestsInOrder(pod);
  if (requests.empty()) return 0;
  double sum = 0;
  for (const auto& r : requests) sum += static_cast<double>(MinNonZero(r, nrt.zones, options));
  return static_cast<std::int64_t>(sum / static_cast<double>(requests.size()));
}

std::optional<NrtScoringStrategy> ParseNrtScoringStrategy(const std::string& text) {
  if (text == "LeastAllocated") return NrtScoringStrategy::kLeastAllocated;
  if (text == "MostAllocated") return NrtScoringStrategy::kMostAllocated;
  if (text == "BalancedAllocation") return NrtScoringStrategy::kBalancedAllocation;
  if (text == "LeastNUMANodes") return NrtScoringStrategy::kLeastNumaNodes;
  return std::nullopt;
}

std::string ToString(NrtScoringStrategy strategy) {
  switch (strategy) {
    case NrtScoringStrategy::kLeastAllocated:
      return "LeastAllocated";
    case NrtScoringStrategy::kMostAllocated:
      return "MostAllocated";
    case NrtScoringStrategy::kBalancedAllocation:
      return "BalancedAllocation";
    case NrtScoringStrategy::kLeastNumaNodes:
      return "LeastNUMANodes";
  }
  return "";
}

}  // namespace numalign::sim
