#include "controller/nrt_lifecycle/nrt_reconciler.h"

#include <set>

#include "common/logging/log.h"
#include "controller/nrt_lifecycle/stale_attributes.h"
#include "controller/nrt_lifecycle/staleness.h"
#include "kube/clock/time_format.h"
#include "kube/errors.h"
#include "kube/objects/node_resource_topology.h"
#include "kube/rest/api_error.h"
#include "kube/rest/resource.h"

namespace numalign::controller {

using kube::Json;

NrtLifecycleReconciler::NrtLifecycleReconciler(std::shared_ptr<kube::ApiClient> client,
                                               std::shared_ptr<kube::Clock> clock,
                                               std::shared_ptr<ControllerMetrics> metrics,
                                               NrtLifecycleOptions options)
    : client_(std::move(client)),
      clock_(std::move(clock)),
      metrics_(std::move(metrics)),
      options_(options) {}

Json StaleAttributesPatch(const Json& nrt, bool mark, const std::string& reason,
                          const std::string& since) {
  Json attributes = Json::array();
  if (const Json* existing = kube::FindPath(nrt, "/attributes"); existing && existing->is_array()) {
    for (const Json& a : *existing) {
      const std::string name = a.is_object() ? a.value("name", "") : "";
      if (name == kStaleAttribute || name == kStaleReasonAttribute ||
          name == kStaleSinceAttribute) {
        continue;
      }
      attributes.push_back(a);
    }
  }
  if (mark) {
    attributes.push_back({{"name", std::string(kStaleAttribute)}, {"value", "true"}});
    attributes.push_back({{"name", std::string(kStaleReasonAttribute)}, {"value", reason}});
    attributes.push_back({{"name", std::string(kStaleSinceAttribute)}, {"value", since}});
  }
  // A merge patch replaces a list whole; the resourceVersion makes it fail with 409 instead of
  // dropping an attribute the agent wrote since we read the object.
  return Json{{"metadata", {{"resourceVersion", kube::ResourceVersionOf(nrt)}}},
              {"attributes", attributes}};
}

void NrtLifecycleReconciler::ReconcileOnce() {
  // NRTs first, nodes second: a node and its NRT created between the two lists then show up in
  // the node list, so a new node's NRT is never taken for an orphan.
  const Json nrts = client_->List(kube::resources::NodeResourceTopologies(), "");
  const Json nodes = client_->List(kube::resources::Nodes(), "");
  std::set<std::string> node_names;
  for (const Json& node : nodes.value("items", Json::array())) {
    node_names.insert(kube::NameOf(node));
  }
  for (const Json& nrt : nrts.value("items", Json::array())) {
    const std::string name = kube::NameOf(nrt);
    if (name.empty()) continue;
    try {
      if (!node_names.contains(name)) {
        DeleteOrphan(nrt);
      } else {
        ApplyStaleness(nrt);
      }
    } catch (const kube::ApiError& e) {
      // 404: deleted meanwhile; 409: changed meanwhile, the next pass sees the new version.
      if (!e.IsNotFound() && !e.IsConflict()) {
        logging::warning("NRT lifecycle failed", {{"nrt", name}, {"error", e.what()}});
      }
    } catch (const std::exception& e) {
      logging::warning("NRT lifecycle failed", {{"nrt", name}, {"error", e.what()}});
    }
  }
}

void NrtLifecycleReconciler::DeleteOrphan(const Json& nrt) {
  const std::string name = kube::NameOf(nrt);
  kube::DeleteOptions options;
  // A node re-registered under the same name gets a new NRT with a new uid: never delete that.
  if (auto uid = kube::UidOf(nrt); !uid.empty()) options.precondition_uid = uid;
  client_->Delete(kube::resources::NodeResourceTopologies(), "", name, options);
  logging::info("Deleted orphaned NodeResourceTopology",
                {{"nrt", name}, {"reason", "node no longer exists"}});
  metrics_->CountOrphanDeleted();
}

void NrtLifecycleReconciler::ApplyStaleness(const Json& object) {
  const kube::NodeResourceTopology nrt = kube::ParseNodeResourceTopology(object);
  const auto now = clock_->Now();
  const StalenessDecision decision = DecideStaleness(nrt, now, options_.stale_after);
  if (decision.action == StaleAction::kNone) return;
  const bool mark = decision.action == StaleAction::kMark;
  kube::WriteOptions write;
  write.field_manager = std::string(kFieldManager);
  client_->Patch(kube::resources::NodeResourceTopologies(), "", nrt.name, kube::PatchType::kMerge,
                 StaleAttributesPatch(object, mark, decision.reason, kube::FormatTime(now)), write);
  metrics_->CountStaleTransition(mark);
  if (mark) {
    logging::warning("Marked NUMA data stale", {{"node", nrt.name}, {"reason", decision.reason}});
  } else {
    logging::info("Heartbeat is back; stale mark cleared", {{"node", nrt.name}});
  }
}

}  // namespace numalign::controller
