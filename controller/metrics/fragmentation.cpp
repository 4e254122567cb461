#include "controller/metrics/fragmentation.h"

#include <algorithm>

namespace numalign::controller {

std::map<std::string, double> FragmentationIndex(const kube::NodeResourceTopology& nrt) {
  std::map<std::string, double> total, largest;
  for (const auto& zone : nrt.zones) {
    if (!zone.NumaId()) continue;
    for (const auto& r : zone.resources) {
      const double free = static_cast<double>(std::max<std::int64_t>(
          0, std::min(r.available.MilliValueCeil(), r.allocatable.MilliValueCeil())));
      total[r.name] += free;
      largest[r.name] = std::max(largest[r.name], free);
    }
  }
  std::map<std::string, double> index;
  for (const auto& [resource, sum] : total) {
    index[resource] = sum <= 0 ? 0.0 : 1.0 - largest[resource] / sum;
  }
  return index;
}

}  // namespace numalign::controller
