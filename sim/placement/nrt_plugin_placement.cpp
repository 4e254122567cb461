#include "sim/placement/nrt_plugin_placement.h"

#include <algorithm>
#include <cstdio>

#include "numa/pod/qos.h"
#include "sim/cluster/cluster_machines.h"
#include "sim/placement/nrt_exporter.h"
#include "sim/scheduler/scheduler_nodes.h"

namespace numalign::sim {

NrtMatchPlugin::NrtMatchPlugin(NrtPluginOptions options,
                               std::map<std::string, ResourceList> allocatable)
    : options_(options), allocatable_(std::move(allocatable)) {}

const NrtData* NrtMatchPlugin::Data(const std::string& node) const {
  const auto& source = options_.reserve_cache ? cache_ : published_;
  auto it = source.find(node);
  return it == source.end() ? nullptr : &it->second;
}

std::optional<std::string> NrtMatchPlugin::Filter(const SimPod& pod, const std::string& node) {
  const NrtData* nrt = Data(node);
  if (nrt == nullptr) return std::nullopt;  // no NRT: not NUMA-managed, passes
  auto why = NrtFilter(pod.spec, numa::ComputeQosClass(pod.spec), *nrt, allocatable_[node]);
  if (why && options_.reserve_cache) maybe_overreserved_.insert(node);
  return why;
}

std::int64_t NrtMatchPlugin::Score(const SimPod& pod, const std::string& node) {
  const NrtData* nrt = Data(node);
  if (nrt == nullptr) return 0;
  return NrtScore(pod.spec, numa::ComputeQosClass(pod.spec), *nrt, options_.scoring);
}

void NrtMatchPlugin::Reserve(const SimPod& pod, const std::string& node) {
  bound_[node].insert(pod.spec.uid);
  AssumeOnEveryZone(pod, node, -1);
}

void NrtMatchPlugin::Unreserve(const SimPod& pod, const std::string& node) {
  bound_[node].erase(pod.spec.uid);
  // The simulator's extender-less scheduler never fails a bind, so Unreserve is not reached in
  // practice; the assumed resources would be given back here.
  AssumeOnEveryZone(pod, node, +1);
}

void NrtMatchPlugin::AssumeOnEveryZone(const SimPod& pod, const std::string& node, int sign) {
  if (!options_.reserve_cache) return;
  auto it = cache_.find(node);
  if (it == cache_.end()) return;
  ResourceList request = PodSchedulingRequests(pod.spec);
  request.erase("pods");
  for (auto& zone : it->second.zones) {
    for (const auto& [resource, amount] : request) {
      auto a = zone.available.find(resource);
      if (a != zone.available.end()) {
        a->second = std::max<std::int64_t>(0, a->second + sign * amount);
      }
    }
  }
}

void NrtMatchPlugin::PodGone(const std::string& node, const SimPod& pod) {
  bound_[node].erase(pod.spec.uid);
}

void NrtMatchPlugin::Publish(const KubeletFleet& fleet) {
  for (const auto& node : fleet.names()) {
    published_[node] = ExportNrt(fleet, node);
    // The cache is seeded by listing every NRT once; later publications are not read.
    if (!published_once_) cache_[node] = published_[node];
  }
  published_once_ = true;
}

void NrtMatchPlugin::Resync() {
  for (auto it = maybe_overreserved_.begin(); it != maybe_overreserved_.end();) {
    const NrtData& fresh = published_[*it];
    if (fresh.pods == bound_[*it]) {  // fingerprint match: the NRT accounts for our pods
      cache_[*it] = fresh;
      ++resyncs_;
      it = maybe_overreserved_.erase(it);
    } else {
      ++it;
    }
  }
}

void NrtMatchPlugin::AdvanceTo(double time_s, const KubeletFleet& fleet) {
  if (options_.exporter_period_s <= 0) {
    Publish(fleet);
  } else if (time_s >= next_publish_) {
    // Only the latest publication before now matters: the state has not changed since.
    Publish(fleet);
    while (next_publish_ <= time_s) next_publish_ += options_.exporter_period_s;
  }
  if (options_.reserve_cache && options_.resync_period_s > 0 && time_s >= next_resync_) {
    Resync();
    while (next_resync_ <= time_s) next_resync_ += options_.resync_period_s;
  }
}

std::string NrtPluginPlacement::Name() const {
  return options_.reserve_cache ? "nrt-plugin-reserve" : "nrt-plugin";
}

PlacementResult NrtPluginPlacement::Run(const ClusterSpec& cluster, const Workload& workload,
                                        RunObserver& observer) {
  const std::vector<numa::Machine> machines = LoadClusterMachines(cluster);
  std::map<std::string, ResourceList> allocatable;
  for (const auto& n : SchedulerNodes(cluster, machines)) allocatable[n.name] = n.allocatable;
  NrtMatchPlugin plugin(options_, std::move(allocatable));
  KubeletBackend backend(cluster, machines, &plugin, &plugin);
  PlacementResult result = RunEvents(Name(), cluster, machines, workload, backend, observer);
  char text[256];
  std::snprintf(text, sizeof text,
                "scheduler-plugins NodeResourceTopologyMatch (%s scoring, %s cache), exporters "
                "publishing every %gs",
                ToString(options_.scoring.strategy).c_str(),
                options_.reserve_cache ? "OverReserve" : "no reserve", options_.exporter_period_s);
  result.description = text;
  return result;
}

}  // namespace numalign::sim
