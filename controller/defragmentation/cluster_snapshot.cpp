#include "controller/defragmentation/cluster_snapshot.h"

#include <algorithm>

#include "kube/objects/object_meta.h"
#include "kube/objects/pod.h"

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

ClusterSnapshot AssembleSnapshot(const extender::NodeView& view,
                                 const std::set<std::string>& existing_nodes,
                                 const std::vector<kube::ObjectPtr>& pods,
                                 const std::vector<kube::ObjectPtr>& pdbs,
                                 const std::string& scheduler_name) {
  ClusterSnapshot snapshot;
  std::map<std::string, std::size_t> node_of_uid;  // pods the admitters hold -> node index
  for (const auto& name : view.NodeNames()) {
    if (!existing_nodes.contains(name)) continue;  // an orphaned NRT: nothing runs there
    const auto state = view.Get(name);
    if (!state || !state->admitter) continue;  // no, stale or unusable NRT
    for (const auto& uid : state->pod_uids) node_of_uid[uid] = snapshot.nodes.size();
    // Aliasing: the admitter lives as long as the immutable node state holding it.
    snapshot.nodes.push_back(
        {name, std::shared_ptr<const numa::NodeAdmitter>(state, &*state->admitter), {}});
  }
  std::vector<std::pair<std::string, Json>> selectors;  // "ns/name", selector
  for (const auto& pdb : pdbs) {
    const std::string key = kube::ObjectKey(*pdb);
    snapshot.pdb_disruptions_allowed[key] =
        static_cast<int>(kube::IntAt(*pdb, "/status/disruptionsAllowed").value_or(0));
    const Json* selector = kube::FindPath(*pdb, "/spec/selector");
    selectors.emplace_back(key, selector ? *selector : Json::object());
  }
  for (const auto& object : pods) {
    if (IsPendingNumaPod(*object, scheduler_name)) {
      snapshot.pending.push_back(*object);
      continue;
    }
    auto held = node_of_uid.find(kube::UidOf(*object));
    if (held == node_of_uid.end()) continue;
    PodFootprint footprint = MakeFootprint(kube::PodView(*object));
    for (const auto& [key, selector] : selectors) {
      if (key.starts_with(footprint.ns + "/") && SelectorMatches(selector, footprint.labels)) {
        footprint.pdbs.push_back(key);
      }
    }
    snapshot.nodes[held->second].pods.push_back(std::move(footprint));
  }
  return snapshot;
}

}  // namespace numalign::controller
