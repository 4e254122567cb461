#include "tests/support/apiserver/admission.h"

#include <regex>
#include <set>

#include "tests/support/apiserver/quantity.h"

namespace numalign::test_apiserver {
namespace {

const char* kSubdomainMessage =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const char* kLabelMessage =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

// Canonicalises every quantity of a ResourceList map; returns false on a malformed one.
bool CanonicalizeResourceList(Json* list) {
  if (!list || !list->is_object()) return true;
  for (auto& [name, value] : list->items()) {
    std::string text = value.is_string() ? value.get<std::string>()
                                         : (value.is_number() ? value.dump() : std::string());
    auto quantity = ParseQuantity(text);
    if (!quantity) return false;
    value = CanonicalQuantity(*quantity);
  }
  return true;
}

bool CheckMicroTime(Json* value, std::string* error) {
  if (!value || value->is_null()) return true;
  if (!value->is_string()) {
    *error = "parsing time: not a string";
    return false;
  }
  auto normalized = NormalizeMicroTime(value->get<std::string>(), error);
  if (!normalized) return false;
  *value = *normalized;
  return true;
}

void ForEachContainer(Json& pod, const std::function<void(Json&)>& fn) {
  Json* spec = FindMutable(pod, "spec");
  if (!spec) return;
  for (const char* list : {"initContainers", "containers"})
    if (Json* containers = FindMutable(*spec, list); containers && containers->is_array())
      for (auto& container : *containers)
        if (container.is_object()) fn(container);
}

std::string QosClass(const Json& pod) {
  bool any = false, guaranteed = true;
  const Json* containers = FindPath(pod, {"spec", "containers"});
  if (!containers || !containers->is_array()) return "BestEffort";
  for (const auto& container : *containers) {
    const Json* requests = FindPath(container, {"resources", "requests"});
    const Json* limits = FindPath(container, {"resources", "limits"});
    if ((requests && !requests->empty()) || (limits && !limits->empty())) any = true;
    for (const char* resource : {"cpu", "memory"}) {
      const Json* limit = limits ? Find(*limits, resource) : nullptr;
      const Json* request = requests ? Find(*requests, resource) : nullptr;
      if (!limit || (request && *request != *limit)) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

std::string ImagePullPolicy(const std::string& image) {
  std::string last = image.substr(image.rfind('/') == std::string::npos ? 0 : image.rfind('/'));
  if (image.find('@') != std::string::npos) return "IfNotPresent";
  size_t colon = last.rfind(':');
  if (colon == std::string::npos) return "Always";
  return last.substr(colon + 1) == "latest" ? "Always" : "IfNotPresent";
}

void ValidateName(const Json& object, const ResourceType& type, std::vector<StatusCause>& causes) {
  std::string name = GetString(object.value("metadata", Json::object()), "name");
  if (name.empty()) {
    causes.push_back({"FieldValueRequired", "Required value: name or generateName is required",
                      "metadata.name"});
    return;
  }
  if (type.kind == "Namespace") {
    if (!IsDns1123Label(name))
      causes.push_back(
          {"FieldValueInvalid", InvalidValueMessage(name, kLabelMessage), "metadata.name"});
  } else if (type.storage_id != "events" && type.kind != "Lease" && !IsDns1123Subdomain(name)) {
    causes.push_back(
        {"FieldValueInvalid", InvalidValueMessage(name, kSubdomainMessage), "metadata.name"});
  } else if (name.find('/') != std::string::npos || name == "." || name == "..") {
    causes.push_back(
        {"FieldValueInvalid", InvalidValueMessage(name, "may not contain '/'"), "metadata.name"});
  }
}

void ValidatePod(const Json& pod, const Json* old, std::vector<StatusCause>& causes) {
  const Json* containers = FindPath(pod, {"spec", "containers"});
  if (!containers || !containers->is_array() || containers->empty()) {
    causes.push_back({"FieldValueRequired", "Required value", "spec.containers"});
    return;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < containers->size(); ++i) {
    const Json& container = (*containers)[i];
    std::string prefix = "spec.containers[" + std::to_string(i) + "]";
    std::string name = GetString(container, "name");
    if (name.empty())
      causes.push_back({"FieldValueRequired", "Required value", prefix + ".name"});
    else if (!names.insert(name).second)
      causes.push_back(
          {"FieldValueDuplicate", "Duplicate value: \"" + name + "\"", prefix + ".name"});
    if (GetString(container, "image").empty() && !old)
      causes.push_back({"FieldValueRequired", "Required value", prefix + ".image"});
    if (const Json* requests = FindPath(container, {"resources", "requests"}))
      for (const auto& [resource, value] : requests->items())
        if (value.is_string() && !value.get<std::string>().empty() &&
            value.get<std::string>()[0] == '-')
          causes.push_back({"FieldValueInvalid",
                            InvalidValueMessage(value, "must be greater than or equal to 0"),
                            prefix + ".resources.requests[" + resource + "]"});
  }
  if (old) {
    const Json* old_containers = FindPath(*old, {"spec", "containers"});
    if (old_containers && old_containers->size() != containers->size())
      causes.push_back({"FieldValueForbidden",
                        "Forbidden: pod updates may not add or remove containers",
                        "spec.containers"});
    const Json* old_node = FindPath(*old, {"spec", "nodeName"});
    const Json* new_node = FindPath(pod, {"spec", "nodeName"});
    if (old_node && old_node->is_string() && !old_node->get<std::string>().empty() &&
        (!new_node || *new_node != *old_node))
      causes.push_back({"FieldValueForbidden",
                        "Forbidden: pod updates may not change fields other than "
                        "`spec.containers[*].image`,`spec.initContainers[*].image`,"
                        "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
                        "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to "
                        "be set to 1 if it was previously negative)",
                        "spec"});
  }
}

// Checks both event APIs share: the involved object lives in the event's namespace, and the
// message and type limits.
void ValidateInvolvedNamespace(const Json& event, std::vector<StatusCause>& causes) {
  std::string ns = GetString(event["metadata"], "namespace");
  std::string involved_ns = GetString(event.value("involvedObject", Json::object()), "namespace");
  if (involved_ns != ns)
    causes.push_back({"FieldValueInvalid",
                      InvalidValueMessage(involved_ns, "does not match event.namespace"),
                      "involvedObject.namespace"});
}

void ValidateEventMessage(const Json& event, std::vector<StatusCause>& causes) {
  if (GetString(event, "message").size() > 1024)
    causes.push_back({"FieldValueInvalid",
                      InvalidValueMessage("", "can have at most 1024 characters"), "message"});
}

void ValidateEventType(const Json& event, std::vector<StatusCause>& causes) {
  std::string type = GetString(event, "type");
  if (type != "Normal" && type != "Warning")
    causes.push_back(
        {"FieldValueInvalid", InvalidValueMessage("", "has invalid value: " + type), "type"});
}

void ValidateCoreEvent(const Json& event, std::vector<StatusCause>& causes) {
  ValidateInvolvedNamespace(event, causes);
  const Json* event_time = Find(event, "eventTime");
  bool new_style = event_time && !event_time->is_null();
  if (new_style) {
    if (GetString(event, "reportingComponent").empty()) {
      causes.push_back({"FieldValueRequired", "Required value", "reportingComponent"});
      causes.push_back({"FieldValueInvalid", InvalidValueMessage("", "name part must be non-empty"),
                        "reportingComponent"});
      causes.push_back(
          {"FieldValueInvalid",
           InvalidValueMessage("",
                               "name part must consist of alphanumeric characters, '-', '_' or "
                               "'.', and must start and end with an alphanumeric character "
                               "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                               "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
           "reportingComponent"});
    }
    if (GetString(event, "reportingInstance").empty())
      causes.push_back({"FieldValueRequired", "Required value", "reportingInstance"});
    if (GetString(event, "action").empty())
      causes.push_back({"FieldValueRequired", "Required value", "action"});
  }
  if (new_style) ValidateEventType(event, causes);
  ValidateEventMessage(event, causes);
}

void ValidateEventsV1(const Json& event, std::vector<StatusCause>& causes) {
  // events.k8s.io/v1 validates the stored (core) form with the stricter v1 rules.
  ValidateInvolvedNamespace(event, causes);
  const Json* event_time = Find(event, "eventTime");
  if (!event_time || event_time->is_null()) {
    causes.push_back({"FieldValueRequired", "Required value", "eventTime"});
  } else {
    if (GetString(event, "reportingComponent").empty())
      causes.push_back({"FieldValueRequired", "Required value", "reportingController"});
    if (GetString(event, "reportingInstance").empty())
      causes.push_back({"FieldValueRequired", "Required value", "reportingInstance"});
    if (GetString(event, "action").empty())
      causes.push_back({"FieldValueRequired", "Required value", "action"});
  }
  ValidateEventMessage(event, causes);
  ValidateEventType(event, causes);
}

void ValidateCrd(const Json& crd, std::vector<StatusCause>& causes) {
  const Json& spec = crd.contains("spec") ? crd["spec"] : Json::object();
  std::string group = GetString(spec, "group");
  std::string plural = GetString(spec.value("names", Json::object()), "plural");
  std::string name = GetString(crd["metadata"], "name");
  if (group.empty()) causes.push_back({"FieldValueRequired", "Required value", "spec.group"});
  if (plural.empty())
    causes.push_back({"FieldValueRequired", "Required value", "spec.names.plural"});
  if (GetString(spec.value("names", Json::object()), "kind").empty())
    causes.push_back({"FieldValueRequired", "Required value", "spec.names.kind"});
  if (!group.empty() && !plural.empty() && name != plural + "." + group)
    causes.push_back({"FieldValueInvalid",
                      InvalidValueMessage(name, "must be spec.names.plural+\".\"+spec.group"),
                      "metadata.name"});
  auto ends_with = [&](const std::string& suffix) {
    return group == suffix.substr(1) ||
           (group.size() >= suffix.size() &&
            group.compare(group.size() - suffix.size(), suffix.size(), suffix) == 0);
  };
  if (ends_with(".k8s.io") || ends_with(".kubernetes.io")) {
    const Json* approved = FindPath(crd, {"metadata", "annotations", "api-approved.kubernetes.io"});
    if (!approved)
      causes.push_back({"FieldValueRequired",
                        "Required value: protected groups must have approval annotation "
                        "\"api-approved.kubernetes.io\", see "
                        "https://github.com/kubernetes/enhancements/pull/1111",
                        "metadata.annotations[api-approved.kubernetes.io]"});
  }
  const Json* versions = Find(spec, "versions");
  int storage = 0;
  if (!versions || !versions->is_array() || versions->empty()) {
    causes.push_back({"FieldValueRequired",
                      "Required value: must have exactly one version marked "
                      "as storage version",
                      "spec.versions"});
  } else {
    for (const auto& version : *versions)
      if (const Json* s = Find(version, "storage"); s && s->is_boolean() && s->get<bool>())
        ++storage;
    if (storage != 1)
      causes.push_back({"FieldValueInvalid",
                        InvalidValueMessage(*versions,
                                            "must have exactly one version marked as storage "
                                            "version"),
                        "spec.versions"});
  }
  std::string scope = GetString(spec, "scope");
  if (scope != "Cluster" && scope != "Namespaced")
    causes.push_back(
        {"FieldValueNotSupported",
         "Unsupported value: \"" + scope + "\": supported values: \"Cluster\", \"Namespaced\"",
         "spec.scope"});
}

}  // namespace

bool IsDns1123Subdomain(const std::string& name) {
  static const std::regex re("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  return name.size() <= 253 && std::regex_match(name, re);
}

bool IsDns1123Label(const std::string& name) {
  static const std::regex re("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  return name.size() <= 63 && std::regex_match(name, re);
}

std::string DecodeChecks(Json& object, const ResourceType& type) {
  std::string error;
  if (type.kind == "Pod") {
    bool ok = true;
    ForEachContainer(object, [&](Json& container) {
      if (Json* resources = FindMutable(container, "resources")) {
        ok = ok && CanonicalizeResourceList(FindMutable(*resources, "requests")) &&
             CanonicalizeResourceList(FindMutable(*resources, "limits"));
      }
    });
    if (!ok) return kQuantityRegexError;
  }
  if (type.kind == "Node") {
    if (Json* status = FindMutable(object, "status"))
      if (!CanonicalizeResourceList(FindMutable(*status, "capacity")) ||
          !CanonicalizeResourceList(FindMutable(*status, "allocatable")))
        return kQuantityRegexError;
  }
  if (type.kind == "Lease") {
    if (Json* spec = FindMutable(object, "spec"))
      for (const char* field : {"acquireTime", "renewTime"})
        if (!CheckMicroTime(FindMutable(*spec, field), &error)) return error;
  }
  if (type.storage_id == "events") {
    if (!CheckMicroTime(FindMutable(object, "eventTime"), &error)) return error;
    if (Json* series = FindMutable(object, "series"))
      if (!CheckMicroTime(FindMutable(*series, "lastObservedTime"), &error)) return error;
  }
  return "";
}

void ApplyDefaults(Json& object, const ResourceType& type, bool creating) {
  if (type.kind == "Pod") {
    Json& spec = object["spec"];
    if (!spec.is_object()) spec = Json::object();
    ForEachContainer(object, [](Json& container) {
      if (!container.contains("resources")) container["resources"] = Json::object();
      if (!container.contains("terminationMessagePath"))
        container["terminationMessagePath"] = "/dev/termination-log";
      if (!container.contains("terminationMessagePolicy"))
        container["terminationMessagePolicy"] = "File";
      if (!container.contains("imagePullPolicy"))
        container["imagePullPolicy"] = ImagePullPolicy(GetString(container, "image"));
      if (Json* ports = FindMutable(container, "ports"); ports && ports->is_array())
        for (auto& port : *ports)
          if (port.is_object() && !port.contains("protocol")) port["protocol"] = "TCP";
    });
    if (!spec.contains("restartPolicy")) spec["restartPolicy"] = "Always";
    if (!spec.contains("terminationGracePeriodSeconds")) spec["terminationGracePeriodSeconds"] = 30;
    if (!spec.contains("dnsPolicy")) spec["dnsPolicy"] = "ClusterFirst";
    if (!spec.contains("securityContext")) spec["securityContext"] = Json::object();
    if (!spec.contains("schedulerName")) spec["schedulerName"] = "default-scheduler";
    if (!spec.contains("enableServiceLinks")) spec["enableServiceLinks"] = true;
  }
  if (type.kind == "Namespace" && creating) {
    std::string name = GetString(object["metadata"], "name");
    object["metadata"]["labels"]["kubernetes.io/metadata.name"] = name;
  }
  if (type.kind == "CustomResourceDefinition") {
    Json& spec = object["spec"];
    if (spec.is_object() && !spec.contains("conversion"))
      spec["conversion"] = {{"strategy", "None"}};
  }
}

void AdmitOnCreate(Json& object, const ResourceType& type) {
  if (type.kind == "Pod") {
    Json& spec = object["spec"];
    // ServiceAccount admission: the default account and its projected token volume.
    if (!spec.contains("serviceAccountName")) spec["serviceAccountName"] = "default";
    spec["serviceAccount"] = spec["serviceAccountName"];
    bool automount = !(spec.contains("automountServiceAccountToken") &&
                       spec["automountServiceAccountToken"] == false);
    if (automount) {
      std::string volume_name = "kube-api-access-" + RandomNameSuffix();
      Json volume = {
          {"name", volume_name},
          {"projected",
           {{"sources",
             Json::array({
                 {{"serviceAccountToken", {{"expirationSeconds", 3607}, {"path", "token"}}}},
                 {{"configMap",
                   {{"name", "kube-root-ca.crt"},
                    {"items", Json::array({{{"key", "ca.crt"}, {"path", "ca.crt"}}})}}}},
                 {{"downwardAPI",
                   {{"items", Json::array({{{"path", "namespace"},
                                            {"fieldRef",
                                             {{"apiVersion", "v1"},
                                              {"fieldPath", "metadata.namespace"}}}}})}}}},
             })},
            {"defaultMode", 420}}}};
      if (!spec.contains("volumes") || !spec["volumes"].is_array()) spec["volumes"] = Json::array();
      spec["volumes"].push_back(volume);
      ForEachContainer(object, [&](Json& container) {
        if (!container.contains("volumeMounts") || !container["volumeMounts"].is_array())
          container["volumeMounts"] = Json::array();
        container["volumeMounts"].push_back(
            {{"name", volume_name},
             {"readOnly", true},
             {"mountPath", "/var/run/secrets/kubernetes.io/serviceaccount"}});
      });
    }
    // DefaultTolerationSeconds.
    if (!spec.contains("tolerations") || !spec["tolerations"].is_array())
      spec["tolerations"] = Json::array();
    for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
      bool present = false;
      for (const auto& toleration : spec["tolerations"])
        if (GetString(toleration, "key") == key) present = true;
      if (!present)
        spec["tolerations"].push_back({{"key", key},
                                       {"operator", "Exists"},
                                       {"effect", "NoExecute"},
                                       {"tolerationSeconds", 300}});
    }
    // Priority admission.
    if (!spec.contains("priority")) spec["priority"] = 0;
    if (!spec.contains("preemptionPolicy")) spec["preemptionPolicy"] = "PreemptLowerPriority";
  }
  if (type.kind == "Node") {
    // TaintNodesByCondition: new nodes are not ready until the kubelet says so.
    Json& spec = object["spec"];
    if (!spec.is_object()) spec = Json::object();
    bool present = false;
    if (spec.contains("taints") && spec["taints"].is_array())
      for (const auto& taint : spec["taints"])
        if (GetString(taint, "key") == "node.kubernetes.io/not-ready") present = true;
    if (!present) {
      if (!spec.contains("taints") || !spec["taints"].is_array()) spec["taints"] = Json::array();
      spec["taints"].push_back({{"key", "node.kubernetes.io/not-ready"}, {"effect", "NoSchedule"}});
    }
  }
}

void InitializeStatus(Json& object, const ResourceType& type) {
  if (type.kind == "Pod") {
    object["status"] = {{"phase", "Pending"}, {"qosClass", QosClass(object)}};
  } else if (type.kind == "Namespace") {
    object["spec"] = {{"finalizers", Json::array({"kubernetes"})}};
    object["status"] = {{"phase", "Active"}};
  } else if (type.kind == "Node") {
    Json& status = object["status"];
    if (!status.is_object()) status = Json::object();
    status["daemonEndpoints"] = {{"kubeletEndpoint", {{"Port", 0}}}};
    if (!status.contains("nodeInfo"))
      status["nodeInfo"] = {{"machineID", ""},       {"systemUUID", ""},
                            {"bootID", ""},          {"kernelVersion", ""},
                            {"osImage", ""},         {"containerRuntimeVersion", ""},
                            {"kubeletVersion", ""},  {"kubeProxyVersion", ""},
                            {"operatingSystem", ""}, {"architecture", ""}};
  } else if (type.kind == "PodDisruptionBudget") {
    object["status"] = {{"disruptionsAllowed", 0},
                        {"currentHealthy", 0},
                        {"desiredHealthy", 0},
                        {"expectedPods", 0}};
  } else if (type.kind == "CustomResourceDefinition") {
    std::string storage;
    if (const Json* versions = FindPath(object, {"spec", "versions"});
        versions && versions->is_array())
      for (const auto& version : *versions)
        if (const Json* s = Find(version, "storage"); s && s->is_boolean() && s->get<bool>())
          storage = GetString(version, "name");
    object["status"] = {{"conditions", nullptr},
                        {"acceptedNames", {{"plural", ""}, {"kind", ""}}},
                        {"storedVersions", Json::array({storage})}};
  } else if (type.storage_id == "events") {
    if (!object.contains("source")) object["source"] = Json::object();
    if (!object.contains("firstTimestamp")) object["firstTimestamp"] = nullptr;
    if (!object.contains("lastTimestamp")) object["lastTimestamp"] = nullptr;
    if (!object.contains("eventTime")) object["eventTime"] = nullptr;
    if (!object.contains("reportingComponent")) object["reportingComponent"] = "";
    if (!object.contains("reportingInstance")) object["reportingInstance"] = "";
  }
}

std::vector<StatusCause> Validate(const Json& object, const Json* old, const ResourceType& type) {
  std::vector<StatusCause> causes;
  ValidateName(object, type, causes);
  if (type.kind == "Pod") ValidatePod(object, old, causes);
  if (type.kind == "Lease") {
    const Json* duration = FindPath(object, {"spec", "leaseDurationSeconds"});
    if (duration && duration->is_number() && duration->get<double>() <= 0)
      causes.push_back({"FieldValueInvalid",
                        "Invalid value: " + EncodeCompact(*duration) + ": must be greater than 0",
                        "spec.leaseDurationSeconds"});
  }
  if (type.storage_id == "events") {
    if (type.group == "events.k8s.io")
      ValidateEventsV1(object, causes);
    else
      ValidateCoreEvent(object, causes);
  }
  if (type.kind == "CustomResourceDefinition") ValidateCrd(object, causes);
  return causes;
}

}  // namespace numalign::test_apiserver
