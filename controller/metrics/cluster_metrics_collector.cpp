#include "controller/metrics/cluster_metrics_collector.h"

#include "common/logging/log.h"
#include "controller/metrics/fragmentation.h"
#include "controller/nrt_lifecycle/staleness.h"
#include "kube/objects/node_resource_topology.h"
#include "kube/rest/resource.h"

namespace numalign::controller {

void ClusterMetricsCollector::ReconcileOnce() {
  const auto list = client_->List(kube::resources::NodeResourceTopologies(), "");
  std::vector<ControllerMetrics::ZoneSample> zones;
  std::vector<ControllerMetrics::NodeFragmentation> fragmentation;
  int stale = 0;
  for (const auto& object : list.value("items", kube::Json::array())) {
    try {
      const auto nrt = kube::ParseNodeResourceTopology(object);
      stale += IsMarkedStale(nrt) ? 1 : 0;
      for (const auto& zone : nrt.zones) {
        if (!zone.NumaId()) continue;
        for (const auto& r : zone.resources) {
          // Milli-units back to units: "cpu" in CPUs, memory in bytes.
          const double allocatable = static_cast<double>(r.allocatable.MilliValueCeil()) / 1000;
          const double available = static_cast<double>(r.available.MilliValueCeil()) / 1000;
          zones.push_back(
              {nrt.name, zone.name, r.name, allocatable, std::max(0.0, allocatable - available)});
        }
      }
      for (const auto& [resource, index] : FragmentationIndex(nrt)) {
        fragmentation.push_back({nrt.name, resource, index});
      }
    } catch (const std::exception& e) {
      logging::warning("Skipping NodeResourceTopology in metrics",
                       {{"nrt", kube::NameOf(object)}, {"error", e.what()}});
    }
  }
  metrics_->ReplaceNodeGauges(std::move(zones), std::move(fragmentation), stale);
}

}  // namespace numalign::controller
