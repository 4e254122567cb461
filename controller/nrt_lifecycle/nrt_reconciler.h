#pragma once

#include <chrono>
#include <memory>

#include "controller/metrics/controller_metrics.h"
#include "controller/reconciler.h"
#include "kube/clock/clock.h"
#include "kube/rest/api_client.h"

namespace numalign::controller {

struct NrtLifecycleOptions {
  // --stale-after: three missed heartbeats of the agent's default 60 s interval.
  std::chrono::milliseconds stale_after = std::chrono::minutes(3);
};

// Keeps the NodeResourceTopology objects honest: deletes the NRT of a node that no longer
// exists (the owner reference to the Node normally lets the garbage collector do it, but an
// agent may have written the NRT before it knew the node's uid, or the GC may be off), and
// marks/clears the stale attributes (stale_attributes.h) from the agent's heartbeat.
class NrtLifecycleReconciler final : public Reconciler {
 public:
  NrtLifecycleReconciler(std::shared_ptr<kube::ApiClient> client,
                         std::shared_ptr<kube::Clock> clock,
                         std::shared_ptr<ControllerMetrics> metrics, NrtLifecycleOptions options);
  std::string_view Name() const override { return "nrt-lifecycle"; }
  void ReconcileOnce() override;

 private:
  void DeleteOrphan(const kube::Json& nrt);
  void ApplyStaleness(const kube::Json& nrt);

  std::shared_ptr<kube::ApiClient> client_;
  std::shared_ptr<kube::Clock> clock_;
  std::shared_ptr<ControllerMetrics> metrics_;
  NrtLifecycleOptions options_;
};

// The merge patch that sets (reason non-empty) or removes the stale attributes of `nrt`,
// keeping every other attribute and conditional on the object's resourceVersion.
kube::Json StaleAttributesPatch(const kube::Json& nrt, bool mark, const std::string& reason,
                                const std::string& since);

}  // namespace numalign::controller
