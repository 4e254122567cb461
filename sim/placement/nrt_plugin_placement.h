#pragma once

#include <map>
#include <set>
#include <string>

#include "sim/placement/kubelet_backend.h"
#include "sim/placement/placement.h"
#include "sim/scheduler/nrt_match.h"

namespace numalign::sim {

struct NrtPluginOptions {
  // The exporters republish every node's NRT this often (virtual seconds); in between the
  // plugin reads stale data. 0 = after every change (an ideal exporter).
  double exporter_period_s = 10;
  // OverReserve cache (cacheResyncPeriodSeconds > 0, Reserve enabled); false = Passthrough.
  bool reserve_cache = false;
  double resync_period_s = 5;
  NrtScoringOptions scoring;
};

// The plugin in the scheduler (TopologyPlugin) with its data source: the exporters' periodic
// publication (FleetListener) and, with the reserve cache, scheduler-plugins' OverReserve
// semantics (peers.md 2.4/2.5): seeded from the first publication, Reserve subtracts the pod's
// effective request from every zone (floored at 0), NRT updates are not read; every resync
// period each node that failed Filter since its last refresh is refreshed from its latest NRT
// if that NRT's pods equal the pods the scheduler has bound there (the fingerprint matches),
// which drops its reservations.
class NrtMatchPlugin final : public TopologyPlugin, public FleetListener {
 public:
  NrtMatchPlugin(NrtPluginOptions options, std::map<std::string, ResourceList> allocatable);

  std::string Name() const override { return "NodeResourceTopologyMatch"; }
  std::optional<std::string> Filter(const SimPod& pod, const std::string& node) override;
  std::int64_t Score(const SimPod& pod, const std::string& node) override;
  void Reserve(const SimPod& pod, const std::string& node) override;
  void Unreserve(const SimPod& pod, const std::string& node) override;

  void AdvanceTo(double time_s, const KubeletFleet& fleet) override;
  void PodGone(const std::string& node, const SimPod& pod) override;

  // What Filter and Score read for a node (nullptr before the first publication).
  const NrtData* Data(const std::string& node) const;
  std::int64_t resyncs() const { return resyncs_; }

 private:
  void Publish(const KubeletFleet& fleet);
  // OverReserve's assumed resources: the pod's effective request taken from (sign -1) or given
  // back to (+1) every zone of the node's cached NRT, floored at 0.
  void AssumeOnEveryZone(const SimPod& pod, const std::string& node, int sign);
  void Resync();

  NrtPluginOptions options_;
  std::map<std::string, ResourceList> allocatable_;
  std::map<std::string, NrtData> published_;
  std::map<std::string, NrtData> cache_;
  std::set<std::string> maybe_overreserved_;
  std::map<std::string, std::set<std::string>> bound_;  // the scheduler's pods per node, by uid
  double next_publish_ = 0;
  double next_resync_ = 0;
  bool published_once_ = false;
  std::int64_t resyncs_ = 0;
};

// 2. the NodeResourceTopologyMatch plugin of scheduler-plugins beside the default plugins.
class NrtPluginPlacement final : public Placement {
 public:
  explicit NrtPluginPlacement(NrtPluginOptions options) : options_(options) {}
  std::string Name() const override;
  PlacementResult Run(const ClusterSpec& cluster, const Workload& workload,
                      RunObserver& observer) override;

 private:
  NrtPluginOptions options_;
};

}  // namespace numalign::sim
