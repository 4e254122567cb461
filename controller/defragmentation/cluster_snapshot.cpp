#include "controller/defragmentation/cluster_snapshot.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "controller/nrt_lifecycle/staleness.h"
#include "kube/objects/node_resource_topology.h"
#include "kube/objects/pod.h"
#include "kube/rest/resource.h"

namespace numalign::controller {

using kube::Json;

const kube::ResourceDescriptor& PodDisruptionBudgets() {
  static const kube::ResourceDescriptor r{"policy", "v1", "poddisruptionbudgets",
                                          "PodDisruptionBudget", true};
  return r;
}

bool SelectorMatches(const Json& selector, const std::map<std::string, std::string>& labels) {
  if (!selector.is_object()) return true;
  for (const auto& [key, value] : kube::StringMapAt(selector, "/matchLabels")) {
    auto it = labels.find(key);
    if (it == labels.end() || it->second != value) return false;
  }
  const Json* expressions = kube::FindPath(selector, "/matchExpressions");
  if (expressions == nullptr || !expressions->is_array()) return true;
  for (const Json& e : *expressions) {
    const std::string key = kube::StringAt(e, "/key");
    const std::string op = kube::StringAt(e, "/operator");
    std::vector<std::string> values;
    if (const Json* v = kube::FindPath(e, "/values"); v && v->is_array()) {
      for (const Json& s : *v) {
        if (s.is_string()) values.push_back(s.get<std::string>());
      }
    }
    auto it = labels.find(key);
    const bool has = it != labels.end();
    const bool in = has && std::find(values.begin(), values.end(), it->second) != values.end();
    if (op == "In" && !in) return false;
    if (op == "NotIn" && in) return false;
    if (op == "Exists" && !has) return false;
    if (op == "DoesNotExist" && has) return false;
    if (op != "In" && op != "NotIn" && op != "Exists" && op != "DoesNotExist") return false;
  }
  return true;
}

bool IsPendingNumaPod(const Json& object, const std::string& scheduler_name) {
  const kube::PodView pod(object);
  if (pod.IsBound() || pod.IsTerminal() || pod.DeletionTimestamp()) return false;
  if (pod.QosClass() != "Guaranteed" || pod.SchedulerName() != scheduler_name) return false;
  const Json* conditions = kube::FindPath(object, "/status/conditions");
  if (conditions == nullptr || !conditions->is_array()) return false;
  for (const Json& c : *conditions) {
    if (kube::StringAt(c, "/type") == "PodScheduled") {
      return kube::StringAt(c, "/status") == "False" &&
             kube::StringAt(c, "/reason") == "Unschedulable";
    }
  }
  return false;
}

ClusterSnapshot ReadClusterSnapshot(kube::ApiClient& client, const std::string& scheduler_name) {
  ClusterSnapshot snapshot;
  std::map<std::string, NodeModel> nodes;
  for (const Json& object :
       client.List(kube::resources::NodeResourceTopologies(), "").value("items", Json::array())) {
    try {
      const auto nrt = kube::ParseNodeResourceTopology(object);
      if (IsMarkedStale(nrt)) continue;
      NodeModel model{nrt.name, {}, {}};
      for (const auto& zone : nrt.zones) {
        if (!zone.NumaId()) continue;
        auto& free = model.zone_free[zone.name];
        for (const auto& r : zone.resources) {
          // available never exceeds allocatable; a negative one (over-commit) counts as none.
          free[r.name] = std::max<std::int64_t>(
              0, std::min(r.available.MilliValueCeil(), r.allocatable.MilliValueCeil()));
        }
      }
      nodes.emplace(nrt.name, std::move(model));
    } catch (const std::exception& e) {
      spdlog::warn("defragmentation: skipping NodeResourceTopology {}: {}", kube::NameOf(object),
                   e.what());
    }
  }
  std::vector<std::pair<std::string, Json>> pdbs;  // namespace, selector
  for (const Json& pdb : client.List(PodDisruptionBudgets(), "").value("items", Json::array())) {
    const std::string key = kube::ObjectKey(pdb);
    snapshot.pdb_disruptions_allowed[key] =
        static_cast<int>(kube::IntAt(pdb, "/status/disruptionsAllowed").value_or(0));
    const Json* selector = kube::FindPath(pdb, "/spec/selector");
    pdbs.emplace_back(key, selector ? *selector : Json::object());
  }
  for (const Json& object :
       client.List(kube::resources::Pods(), "").value("items", Json::array())) {
    if (IsPendingNumaPod(object, scheduler_name)) {
      snapshot.pending.push_back(object);
      continue;
    }
    const kube::PodView pod(object);
    if (!pod.IsBound() || pod.IsTerminal() || pod.DeletionTimestamp()) continue;
    auto node = nodes.find(pod.NodeName());
    if (node == nodes.end()) continue;
    PodFootprint footprint = MakeFootprint(pod);
    for (const auto& [key, selector] : pdbs) {
      if (key.starts_with(footprint.ns + "/") && SelectorMatches(selector, footprint.labels)) {
        footprint.pdbs.push_back(key);
      }
    }
    node->second.pods.push_back(std::move(footprint));
  }
  for (auto& [name, model] : nodes) snapshot.nodes.push_back(std::move(model));
  return snapshot;
}

}  // namespace numalign::controller
