// pods/binding (and the legacy bindings collection) and pods/eviction (policy/v1) with
// PodDisruptionBudget checks.
#include "tests/support/apiserver/api_core.h"
#include "tests/support/apiserver/api_core_internal.h"
#include "tests/support/apiserver/selectors.h"
#include "tests/support/apiserver/wire_format.h"

namespace numalign::test_apiserver {
namespace {

Json ParseObjectBody(const ApiRequest& request, const std::string& kind) {
  std::string error;
  auto body = ParseJson(request.body, &error);
  if (!body || !body->is_object())
    throw BadRequest("the object provided is unrecognized (must be of type " + kind +
                     "): couldn't get version/kind; json parse error: " + error);
  return *body;
}

bool PodIsHealthy(const Json& pod) {
  if (GetString(pod.value("status", Json::object()), "phase") != "Running") return false;
  if (FindPath(pod, {"metadata", "deletionTimestamp"})) return false;
  if (const Json* conditions = FindPath(pod, {"status", "conditions"});
      conditions && conditions->is_array())
    for (const auto& condition : *conditions)
      if (GetString(condition, "type") == "Ready") return GetString(condition, "status") == "True";
  return false;
}

bool HasControllerOwner(const Json& pod) {
  if (const Json* owners = FindPath(pod, {"metadata", "ownerReferences"});
      owners && owners->is_array())
    for (const auto& owner : *owners)
      if (const Json* controller = Find(owner, "controller");
          controller && controller->is_boolean() && controller->get<bool>())
        return true;
  return false;
}

// Builds a label selector string from a metav1.LabelSelector (matchLabels, matchExpressions).
std::string SelectorText(const Json& selector) {
  std::string text;
  auto add = [&](const std::string& term) { text += (text.empty() ? "" : ",") + term; };
  if (const Json* labels = Find(selector, "matchLabels"); labels && labels->is_object())
    for (const auto& [key, value] : labels->items())
      add(key + "=" + (value.is_string() ? value.get<std::string>() : ""));
  if (const Json* expressions = Find(selector, "matchExpressions");
      expressions && expressions->is_array())
    for (const auto& expression : *expressions) {
      std::string key = GetString(expression, "key");
      std::string op = GetString(expression, "operator");
      std::string values;
      if (const Json* list = Find(expression, "values"); list && list->is_array())
        for (const auto& v : *list)
          values += (values.empty() ? "" : ",") + (v.is_string() ? v.get<std::string>() : "");
      if (op == "In") add(key + " in (" + values + ")");
      if (op == "NotIn") add(key + " notin (" + values + ")");
      if (op == "Exists") add(key);
      if (op == "DoesNotExist") add("!" + key);
    }
  return text;
}

}  // namespace

ApiResponse ApiServerCore::Bind(const ApiRequest& request, const Target& target) {
  const ResourceType& type = *target.type;  // pods
  Json binding = ParseObjectBody(request, "Binding");
  std::string body_name = MetadataString(binding, "name");
  std::string name = target.legacy_bindings ? body_name : target.name;
  if (!target.legacy_bindings && !body_name.empty() && body_name != target.name)
    throw BadRequest("name in URL does not match name in Binding object");
  std::string node = GetString(binding.value("target", Json::object()), "name");
  {
    auto lock = store_.Lock();
    const Json* found = store_.GetLocked(type.storage_id, target.ns, name);
    if (!found) throw NotFound(target.Subject(name));
    Json pod = *found;
    std::string uid = MetadataString(binding, "uid");
    if (!uid.empty() && uid != MetadataString(pod, "uid"))
      throw Conflict(target.Subject(name), "pods",
                     "StorageError: invalid object, Code: 4, Key: /registry/pods/" + target.ns +
                         "/" + name +
                         ", ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in "
                         "precondition: " +
                         uid + ", UID in object meta: " + MetadataString(pod, "uid"));
    std::string assigned = GetString(pod.value("spec", Json::object()), "nodeName");
    if (!assigned.empty())
      throw Conflict({name, "", "pods/binding"}, "pods/binding",
                     "pod " + name + " is already assigned to node \"" + assigned + "\"");
    if (FindPath(pod, {"metadata", "deletionTimestamp"}))
      throw Conflict({name, "", "pods/binding"}, "pods/binding",
                     "pod " + name + " is being deleted, cannot be assigned to a host");
    pod["spec"]["nodeName"] = node;
    Json& status = pod["status"];
    if (!status.contains("conditions") || !status["conditions"].is_array())
      status["conditions"] = Json::array();
    status["conditions"].push_back({{"type", "PodScheduled"},
                                    {"status", "True"},
                                    {"lastProbeTime", nullptr},
                                    {"lastTransitionTime", NowTime()}});
    CanonicalizeKeyOrder(pod, type);
    store_.PutLocked(type.storage_id, target.ns, name, pod);
  }
  ApiResponse response;
  response.status = 201;
  response.body = EncodeWire(SuccessStatus(nullptr, 201));
  return response;
}

ApiResponse ApiServerCore::Evict(const ApiRequest& request, const Target& target) {
  const ResourceType& type = *target.type;  // pods
  Json eviction = ParseObjectBody(request, "Eviction");
  std::string body_name = MetadataString(eviction, "name");
  if (!body_name.empty() && body_name != target.name)
    throw BadRequest("name in URL does not match name in Eviction object");
  const Json* delete_options = Find(eviction, "deleteOptions");
  bool dry_run =
      request.Query("dryRun").has_value() || (delete_options && Find(*delete_options, "dryRun"));
  {
    auto lock = store_.Lock();
    const Json* found = store_.GetLocked(type.storage_id, target.ns, target.name);
    if (!found) throw NotFound(target.Subject(target.name));
    Json pod = *found;
    // PodDisruptionBudgets (policy/v1) that select this pod, evaluated like the disruption
    // controller would have computed their status.
    auto pdbs = registry_.Find("policy", "v1", "poddisruptionbudgets");
    const Json* pod_labels = FindPath(pod, {"metadata", "labels"});
    for (const auto& pdb : store_.ListLocked(pdbs->storage_id, target.ns)) {
      const Json* selector = FindPath(pdb, {"spec", "selector"});
      if (!selector) continue;
      LabelSelector matcher = LabelSelector::Parse(SelectorText(*selector));
      if (!matcher.Matches(pod_labels ? *pod_labels : Json::object())) continue;
      long long healthy = 0, expected = 0;
      for (const auto& other : store_.ListLocked(type.storage_id, target.ns)) {
        const Json* labels = FindPath(other, {"metadata", "labels"});
        if (!matcher.Matches(labels ? *labels : Json::object())) continue;
        if (PodIsHealthy(other)) ++healthy;
        if (HasControllerOwner(other)) ++expected;
      }
      long long desired = 0, allowed = 0;
      const Json* min_available = FindPath(pdb, {"spec", "minAvailable"});
      const Json* max_unavailable = FindPath(pdb, {"spec", "maxUnavailable"});
      if (min_available && min_available->is_number_integer()) {
        desired = min_available->get<long long>();
        allowed = healthy - desired;
      } else if (max_unavailable && max_unavailable->is_number_integer()) {
        desired = std::max(0LL, expected - max_unavailable->get<long long>());
        allowed = expected == 0 ? 0 : healthy - desired;
      } else {
        continue;  // percentages are not evaluated (documented limitation)
      }
      if (!PodIsHealthy(pod)) continue;  // unhealthy pods may always be evicted
      if (allowed <= 0) {
        Json details = {
            {"causes",
             Json::array(
                 {{{"reason", "DisruptionBudget"},
                   {"message", "The disruption budget " + MetadataString(pdb, "name") + " needs " +
                                   std::to_string(desired) + " healthy pods and has " +
                                   std::to_string(healthy) + " currently"}}})}};
        throw ApiError(429, FailureStatus(429, "TooManyRequests",
                                          "Cannot evict pod as it would violate the pod's "
                                          "disruption budget.",
                                          &details));
      }
    }
    if (!dry_run) {
      std::string node = GetString(pod.value("spec", Json::object()), "nodeName");
      if (node.empty()) {
        DeleteNowLocked(target, pod);
      } else if (!FindPath(pod, {"metadata", "deletionTimestamp"})) {
        Json& status = pod["status"];
        if (!status.contains("conditions") || !status["conditions"].is_array())
          status["conditions"] = Json::array();
        status["conditions"].push_back({{"type", "DisruptionTarget"},
                                        {"status", "True"},
                                        {"lastProbeTime", nullptr},
                                        {"lastTransitionTime", NowTime()},
                                        {"reason", "EvictionByEvictionAPI"},
                                        {"message", "Eviction API: evicting"}});
        CanonicalizeKeyOrder(pod, type);
        store_.PutLocked(type.storage_id, target.ns, target.name, pod);
        long long seconds = pod["spec"].value("terminationGracePeriodSeconds", 30LL);
        pod = *store_.GetLocked(type.storage_id, target.ns, target.name);
        pod["metadata"]["deletionTimestamp"] =
            FormatTime(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
        pod["metadata"]["deletionGracePeriodSeconds"] = seconds;
        CanonicalizeKeyOrder(pod, type);
        store_.PutLocked(type.storage_id, target.ns, target.name, pod);
      }
    }
  }
  ApiResponse response;
  response.status = 201;
  response.body = EncodeWire(SuccessStatus(nullptr, 201));
  return response;
}

}  // namespace numalign::test_apiserver
