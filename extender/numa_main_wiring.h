#pragma once

#include <chrono>
#include <memory>

#include "extender/config/decision_options.h"
#include "extender/decider/numa_decider.h"
#include "extender/server/service_metrics.h"
#include "extender/view/view_feeder.h"

namespace numalign::extender {

// Everything main.cpp needs to serve the NUMA decider instead of the pass-through one:
//   auto numa = StartNumaDecider(api, options);     // starts the informers
//   ExtenderService service(*numa->decider, ...);   // /readyz: numa->Ready()
struct NumaDeciderStack {
  std::shared_ptr<NodeView> view;
  std::unique_ptr<ViewFeeder> feeder;
  std::unique_ptr<NumaDecider> decider;

  // Ready only once the NRT, pod and node informers have synced.
  bool Ready() const { return feeder && feeder->Synced(); }
};

std::unique_ptr<NumaDeciderStack> StartNumaDecider(std::shared_ptr<kube::ApiClient> api,
                                                   const DecisionOptions& options);

// numalign_extender_cache_entries{cache="nodes"|"nrts"|"pods"|"assumed"}: the view's sizes at
// scrape time. `stack` must outlive the registry's scrapes.
void RegisterCacheSizes(const NumaDeciderStack& stack, ServiceMetrics& metrics);

}  // namespace numalign::extender
