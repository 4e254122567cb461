#include "controller/defragmentation/defragmenter.h"

#include <algorithm>

#include "common/logging/log.h"
#include "kube/objects/pod.h"
#include "kube/rest/api_error.h"
#include "kube/rest/pod_actions.h"
#include "kube/rest/resource.h"
#include "numa/pod/pod_spec.h"

namespace numalign::controller {

using kube::Json;

std::string DescribePlan(const EvictionPlan& plan) {
  if (plan.outcome != PlanOutcome::kPlanned) {
    return "no defragmentation plan: " + std::string(ToString(plan.outcome));
  }
  std::string pods;
  for (const auto& p : plan.evictions) pods += (pods.empty() ? "" : ", ") + p.Key();
  return "evicting " + std::to_string(plan.evictions.size()) + " pod(s) [" + pods + "] on node " +
         plan.node + " lets its kubelet admit the pod on NUMA zone(s) " + plan.zone;
}

Defragmenter::Defragmenter(std::shared_ptr<ClusterSource> source,
                           std::shared_ptr<kube::ApiClient> client,
                           std::shared_ptr<kube::Clock> clock,
                           std::shared_ptr<kube::EventRecorder> events,
                           std::shared_ptr<ControllerMetrics> metrics,
                           DefragmentationOptions options)
    : source_(std::move(source)),
      client_(std::move(client)),
      clock_(std::move(clock)),
      events_(std::move(events)),
      metrics_(std::move(metrics)),
      options_(std::move(options)) {}

std::map<std::string, EvictionPlan> Defragmenter::LastPlans() const {
  std::lock_guard lock(mu_);
  return last_plans_;
}

void Defragmenter::ReconcileOnce() {
  if (options_.mode == DefragmentMode::kOff) return;
  ClusterSnapshot snapshot = source_->Read(options_.scheduler_name);
  metrics_->SetPendingNumaPods(static_cast<int>(snapshot.pending.size()));
  // Higher priority first: they would also win the place in the scheduler.
  std::stable_sort(snapshot.pending.begin(), snapshot.pending.end(),
                   [](const Json& a, const Json& b) {
                     return kube::IntAt(a, "/spec/priority").value_or(0) >
                            kube::IntAt(b, "/spec/priority").value_or(0);
                   });
  std::map<std::string, EvictionPlan> plans;
  bool evicted_this_pass = false;
  for (const Json& pending : snapshot.pending) {
    const kube::PodView pod(pending);
    std::string error;
    const auto spec = numa::ParsePodJson(pending, &error);
    if (!spec) {
      logging::warning("Defragmentation skips pending pod", {{"pod", pod.Key()}, {"error", error}});
      continue;
    }
    PlanRequest request{
        .pod = numa::ComputePodRequests(*spec),
        .priority = static_cast<std::int32_t>(kube::IntAt(pending, "/spec/priority").value_or(0)),
        .nodes = snapshot.nodes,
        .pdb_disruptions_allowed = snapshot.pdb_disruptions_allowed,
        .max_evictions = options_.max_evictions};
    EvictionPlan plan = PlanEvictions(request);
    plans[pod.Key()] = plan;
    Report(pending, plan);
    if (plan.outcome == PlanOutcome::kPlanned && options_.mode == DefragmentMode::kEvict &&
        !evicted_this_pass && !EvictionInFlight()) {
      Evict(pending, plan);
      evicted_this_pass = true;
    }
  }
  std::lock_guard lock(mu_);
  last_plans_ = std::move(plans);
  std::erase_if(last_message_, [&](const auto& e) { return !last_plans_.contains(e.first); });
}

void Defragmenter::Report(const Json& pending, const EvictionPlan& plan) {
  const kube::PodView pod(pending);
  const std::string message = DescribePlan(plan);
  {
    std::lock_guard lock(mu_);
    auto& last = last_message_[pod.Key()];
    if (last == message) return;  // said already; the plan has not changed
    last = message;
  }
  metrics_->CountDefragPlan(std::string(ToString(plan.outcome)));
  if (plan.outcome != PlanOutcome::kPlanned) {
    logging::info("Defragmentation plan", {{"pod", pod.Key()}, {"plan", message}});
    return;
  }
  const bool dry_run = options_.mode != DefragmentMode::kEvict;
  logging::info("Defragmentation plan",
                {{"pod", pod.Key()}, {"plan", message}, {"dryRun", dry_run ? "true" : "false"}});
  events_->Event(pending, kube::kEventTypeNormal,
                 dry_run ? "NUMADefragmentationPlan" : "NUMADefragmentation",
                 (dry_run ? "dry run: " : "") + message);
}

bool Defragmenter::EvictionInFlight() {
  std::lock_guard lock(mu_);
  if (!in_flight_) return false;
  if (clock_->Now() - in_flight_->started > options_.wait_timeout) {
    logging::warning("Evicted pods still present after the wait; moving on",
                     {{"node", in_flight_->node}});
    in_flight_.reset();
    return false;
  }
  for (const auto& [pod, uid] : in_flight_->pods) {
    try {
      const Json current = client_->Get(kube::resources::Pods(), pod.ns, pod.name);
      if (kube::UidOf(current) == uid) return true;  // still there (terminating)
    } catch (const kube::ApiError& e) {
      if (!e.IsNotFound()) return true;
    } catch (const std::exception&) {
      return true;
    }
  }
  logging::info("Evicted pods are gone", {{"node", in_flight_->node}});
  in_flight_.reset();
  return false;
}

void Defragmenter::Evict(const Json& pending, const EvictionPlan& plan) {
  InFlight flight{plan.node, {}, clock_->Now()};
  for (const auto& pod : plan.evictions) {
    try {
      kube::EvictPod(*client_, pod.ns, pod.name);
      metrics_->CountEviction("evicted");
      flight.pods.emplace_back(pod, pod.uid);
      logging::info("Evicted pod for defragmentation",
                    {{"pod", pod.Key()}, {"node", plan.node}, {"for", kube::ObjectKey(pending)}});
    } catch (const kube::ApiError& e) {
      // 429: a budget refused it after all (status changed since we read it). Stop this plan;
      // the next pass plans again with fresh budgets.
      metrics_->CountEviction(e.IsTooManyRequests() ? "blocked" : "failed");
      logging::warning("Eviction refused", {{"pod", pod.Key()}, {"error", e.what()}});
      break;
    } catch (const std::exception& e) {
      metrics_->CountEviction("failed");
      logging::warning("Eviction failed", {{"pod", pod.Key()}, {"error", e.what()}});
      break;
    }
  }
  std::lock_guard lock(mu_);
  if (!flight.pods.empty()) in_flight_ = std::move(flight);
}

}  // namespace numalign::controller
