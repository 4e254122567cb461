#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "controller/defragmentation/cluster_source.h"
#include "controller/defragmentation/eviction_planner.h"
#include "controller/metrics/controller_metrics.h"
#include "controller/reconciler.h"
#include "kube/clock/clock.h"
#include "kube/events/event_recorder.h"
#include "kube/rest/api_client.h"

namespace numalign::controller {

enum class DefragmentMode { kOff, kDryRun, kEvict };

struct DefragmentationOptions {
  DefragmentMode mode = DefragmentMode::kDryRun;      // --defragment=off|dry-run|evict
  std::string scheduler_name = "numalign-scheduler";  // --scheduler-name
  int max_evictions = 3;                              // --defragment-max-evictions
  // How long evicted pods may take to go before the next node is tried anyway.
  std::chrono::milliseconds wait_timeout = std::chrono::minutes(5);
};

// For every pending NUMA pod the planner can help, reports the fewest evictions after which a
// node's kubelet would admit it (NodeAdmitter on the extender's node view) (Event on the pending
// pod + log line) and, in evict mode, evicts them through the Eviction API. Evictions go one node
// at a time: after evicting for one plan, no other plan is carried out until the evicted pods are
// gone (or wait_timeout passed), so the next plan is made on what the first one actually freed.
class Defragmenter final : public Reconciler {
 public:
  // `source` gives the cluster picture to plan on; `client` evicts and checks evicted pods.
  Defragmenter(std::shared_ptr<ClusterSource> source, std::shared_ptr<kube::ApiClient> client,
               std::shared_ptr<kube::Clock> clock, std::shared_ptr<kube::EventRecorder> events,
               std::shared_ptr<ControllerMetrics> metrics, DefragmentationOptions options);
  std::string_view Name() const override { return "defragmentation"; }
  void ReconcileOnce() override;

  // The last plan per pending pod key ("ns/name"), for tests and logs.
  std::map<std::string, EvictionPlan> LastPlans() const;

 private:
  bool EvictionInFlight();
  void Report(const kube::Json& pending, const EvictionPlan& plan);
  void Evict(const kube::Json& pending, const EvictionPlan& plan);

  std::shared_ptr<ClusterSource> source_;
  std::shared_ptr<kube::ApiClient> client_;
  std::shared_ptr<kube::Clock> clock_;
  std::shared_ptr<kube::EventRecorder> events_;
  std::shared_ptr<ControllerMetrics> metrics_;
  DefragmentationOptions options_;

  struct InFlight {
    std::string node;
    std::vector<std::pair<PodFootprint, std::string>> pods;  // footprint, uid
    kube::Clock::TimePoint started;
  };
  mutable std::mutex mu_;
  std::optional<InFlight> in_flight_;
  std::map<std::string, EvictionPlan> last_plans_;
  std::map<std::string, std::string> last_message_;  // per pending pod: log only on change
};

std::string DescribePlan(const EvictionPlan& plan);

}  // namespace numalign::controller
