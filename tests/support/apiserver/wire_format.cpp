#include "tests/support/apiserver/wire_format.h"

#include <algorithm>

namespace numalign::test_apiserver {
namespace {

void Reorder(Json& object, const std::vector<std::string>& order) {
  if (!object.is_object()) return;
  Json reordered = Json::object();
  for (const auto& key : order)
    if (auto it = object.find(key); it != object.end()) reordered[key] = *it;
  for (const auto& [key, value] : object.items())
    if (!reordered.contains(key)) reordered[key] = value;
  object = std::move(reordered);
}

void SortMap(Json* map) {
  if (map && map->is_object()) *map = SortKeysRecursively(*map);
}

void ForEach(Json* list, const std::function<void(Json&)>& fn) {
  if (list && list->is_array())
    for (auto& item : *list) fn(item);
}

const std::vector<std::string> kMetadataOrder = {"name",
                                                 "generateName",
                                                 "namespace",
                                                 "selfLink",
                                                 "uid",
                                                 "resourceVersion",
                                                 "generation",
                                                 "creationTimestamp",
                                                 "deletionTimestamp",
                                                 "deletionGracePeriodSeconds",
                                                 "labels",
                                                 "annotations",
                                                 "ownerReferences",
                                                 "finalizers",
                                                 "managedFields"};

void CanonicalizeMetadata(Json& metadata) {
  Reorder(metadata, kMetadataOrder);
  SortMap(FindMutable(metadata, "labels"));
  SortMap(FindMutable(metadata, "annotations"));
  ForEach(FindMutable(metadata, "managedFields"), [](Json& entry) {
    Reorder(entry, {"manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1",
                    "subresource"});
  });
}

void CanonicalizeResources(Json& resources) {
  Reorder(resources, {"limits", "requests", "claims"});
  SortMap(FindMutable(resources, "limits"));
  SortMap(FindMutable(resources, "requests"));
}

void CanonicalizeContainer(Json& container) {
  Reorder(container, {"name",
                      "image",
                      "command",
                      "args",
                      "workingDir",
                      "ports",
                      "envFrom",
                      "env",
                      "resources",
                      "resizePolicy",
                      "restartPolicy",
                      "volumeMounts",
                      "volumeDevices",
                      "livenessProbe",
                      "readinessProbe",
                      "startupProbe",
                      "lifecycle",
                      "terminationMessagePath",
                      "terminationMessagePolicy",
                      "imagePullPolicy",
                      "securityContext",
                      "stdin",
                      "stdinOnce",
                      "tty"});
  if (Json* resources = FindMutable(container, "resources")) CanonicalizeResources(*resources);
  ForEach(FindMutable(container, "volumeMounts"), [](Json& mount) {
    Reorder(mount, {"name", "readOnly", "recursiveReadOnly", "mountPath", "subPath",
                    "mountPropagation", "subPathExpr"});
  });
}

void CanonicalizePod(Json& pod) {
  if (Json* spec = FindMutable(pod, "spec")) {
    Reorder(*spec, {"volumes",
                    "initContainers",
                    "containers",
                    "ephemeralContainers",
                    "restartPolicy",
                    "terminationGracePeriodSeconds",
                    "activeDeadlineSeconds",
                    "dnsPolicy",
                    "nodeSelector",
                    "serviceAccountName",
                    "serviceAccount",
                    "automountServiceAccountToken",
                    "nodeName",
                    "hostNetwork",
                    "hostPID",
                    "hostIPC",
                    "shareProcessNamespace",
                    "securityContext",
                    "imagePullSecrets",
                    "hostname",
                    "subdomain",
                    "affinity",
                    "schedulerName",
                    "tolerations",
                    "hostAliases",
                    "priorityClassName",
                    "priority",
                    "dnsConfig",
                    "readinessGates",
                    "runtimeClassName",
                    "enableServiceLinks",
                    "preemptionPolicy",
                    "overhead",
                    "topologySpreadConstraints",
                    "setHostnameAsFQDN",
                    "os",
                    "hostUsers",
                    "schedulingGates",
                    "resourceClaims",
                    "resources"});
    ForEach(FindMutable(*spec, "containers"), CanonicalizeContainer);
    ForEach(FindMutable(*spec, "initContainers"), CanonicalizeContainer);
    SortMap(FindMutable(*spec, "nodeSelector"));
    ForEach(FindMutable(*spec, "tolerations"), [](Json& toleration) {
      Reorder(toleration, {"key", "operator", "value", "effect", "tolerationSeconds"});
    });
  }
  if (Json* status = FindMutable(pod, "status")) {
    Reorder(*status,
            {"phase", "conditions", "message", "reason", "nominatedNodeName", "hostIP", "hostIPs",
             "podIP", "podIPs", "startTime", "initContainerStatuses", "containerStatuses",
             "qosClass", "ephemeralContainerStatuses", "resize", "resourceClaimStatuses"});
    ForEach(FindMutable(*status, "conditions"), [](Json& condition) {
      // lastProbeTime and lastTransitionTime are always serialised (null when unset).
      if (!condition.contains("lastProbeTime")) condition["lastProbeTime"] = nullptr;
      if (!condition.contains("lastTransitionTime")) condition["lastTransitionTime"] = nullptr;
      Reorder(condition, {"type", "observedGeneration", "status", "lastProbeTime",
                          "lastTransitionTime", "reason", "message"});
    });
  }
}

void CanonicalizeNode(Json& node) {
  if (Json* spec = FindMutable(node, "spec")) {
    Reorder(*spec, {"podCIDR", "podCIDRs", "providerID", "unschedulable", "taints", "configSource",
                    "externalID"});
    ForEach(FindMutable(*spec, "taints"), [](Json& taint) {
      Reorder(taint, {"key", "value", "effect", "timeAdded"});
    });
  }
  if (Json* status = FindMutable(node, "status")) {
    Reorder(*status, {"capacity", "allocatable", "phase", "conditions", "addresses",
                      "daemonEndpoints", "nodeInfo", "images", "volumesInUse", "volumesAttached",
                      "config", "runtimeHandlers", "features"});
    SortMap(FindMutable(*status, "capacity"));
    SortMap(FindMutable(*status, "allocatable"));
    ForEach(FindMutable(*status, "conditions"), [](Json& condition) {
      Reorder(condition,
              {"type", "status", "lastHeartbeatTime", "lastTransitionTime", "reason", "message"});
    });
  }
}

void CanonicalizeCoreEvent(Json& event) {
  Reorder(event, {"kind", "apiVersion", "metadata", "involvedObject", "reason", "message", "source",
                  "firstTimestamp", "lastTimestamp", "count", "type", "eventTime", "series",
                  "action", "related", "reportingComponent", "reportingInstance"});
}

void CanonicalizeEventsV1(Json& event) {
  Reorder(event, {"kind", "apiVersion", "metadata", "eventTime", "series", "reportingController",
                  "reportingInstance", "action", "reason", "regarding", "related", "note", "type",
                  "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp",
                  "deprecatedCount"});
}

void CanonicalizeCrd(Json& crd) {
  if (Json* spec = FindMutable(crd, "spec")) {
    Reorder(*spec, {"group", "names", "scope", "versions", "conversion", "preserveUnknownFields"});
    if (Json* names = FindMutable(*spec, "names"))
      Reorder(*names, {"plural", "singular", "shortNames", "kind", "listKind", "categories"});
    ForEach(FindMutable(*spec, "versions"), [](Json& version) {
      Reorder(version, {"name", "served", "storage", "deprecated", "deprecationWarning", "schema",
                        "subresources", "additionalPrinterColumns", "selectableFields"});
    });
  }
  if (Json* status = FindMutable(crd, "status"))
    Reorder(*status, {"conditions", "acceptedNames", "storedVersions"});
}

// The field renames between core/v1 Event and events.k8s.io/v1 Event.
const std::vector<std::pair<std::string, std::string>> kEventRenames = {
    {"involvedObject", "regarding"},
    {"message", "note"},
    {"source", "deprecatedSource"},
    {"firstTimestamp", "deprecatedFirstTimestamp"},
    {"lastTimestamp", "deprecatedLastTimestamp"},
    {"count", "deprecatedCount"},
    {"reportingComponent", "reportingController"}};

}  // namespace

void CanonicalizeKeyOrder(Json& object, const ResourceType& type) {
  if (!object.is_object()) return;
  if (type.custom) {
    object = SortKeysRecursively(object);
    return;
  }
  if (Json* metadata = FindMutable(object, "metadata")) CanonicalizeMetadata(*metadata);
  if (type.storage_id == "events") {
    if (GetString(object, "apiVersion") == "events.k8s.io/v1")
      CanonicalizeEventsV1(object);
    else
      CanonicalizeCoreEvent(object);
    return;
  }
  Reorder(object,
          {"kind", "apiVersion", "metadata", "spec", "data", "binaryData", "immutable", "status"});
  if (type.kind == "Pod") CanonicalizePod(object);
  if (type.kind == "Node") CanonicalizeNode(object);
  if (type.kind == "CustomResourceDefinition") CanonicalizeCrd(object);
  if (type.kind == "Lease")
    if (Json* spec = FindMutable(object, "spec"))
      Reorder(*spec, {"holderIdentity", "leaseDurationSeconds", "acquireTime", "renewTime",
                      "leaseTransitions", "strategy", "preferredHolder"});
  if (type.kind == "ConfigMap") SortMap(FindMutable(object, "data"));
  if (type.kind == "PodDisruptionBudget")
    if (Json* status = FindMutable(object, "status"))
      Reorder(*status, {"observedGeneration", "disruptedPods", "disruptionsAllowed",
                        "currentHealthy", "desiredHealthy", "expectedPods", "conditions"});
}

Json ToServedView(const Json& stored, const ResourceType& type) {
  Json view = stored;
  if (type.storage_id == "events" && type.group == "events.k8s.io") {
    Json converted = Json::object();
    converted["kind"] = "Event";
    converted["apiVersion"] = "events.k8s.io/v1";
    converted["metadata"] = stored.value("metadata", Json::object());
    for (const auto& [key, value] : stored.items()) {
      if (key == "kind" || key == "apiVersion" || key == "metadata") continue;
      std::string name = key;
      for (const auto& [core, v1] : kEventRenames)
        if (key == core) name = v1;
      if ((name == "reportingInstance" || name == "reportingController") && value == "") continue;
      converted[name] = value;
    }
    if (!converted.contains("eventTime")) converted["eventTime"] = nullptr;
    view = converted;
  } else {
    view["apiVersion"] = type.GroupVersion();
    view["kind"] = type.kind;
  }
  CanonicalizeKeyOrder(view, type);
  return view;
}

Json ToStoredForm(const Json& received, const ResourceType& type) {
  if (!(type.storage_id == "events" && type.group == "events.k8s.io")) {
    Json stored = received;
    stored["apiVersion"] = type.GroupVersion();
    stored["kind"] = type.kind;
    return stored;
  }
  Json converted = Json::object();
  converted["kind"] = "Event";
  converted["apiVersion"] = "v1";
  converted["metadata"] = received.value("metadata", Json::object());
  for (const auto& [key, value] : received.items()) {
    if (key == "kind" || key == "apiVersion" || key == "metadata") continue;
    std::string name = key;
    for (const auto& [core, v1] : kEventRenames)
      if (key == v1) name = core;
    converted[name] = value;
  }
  return converted;
}

std::vector<std::string> SupportedFieldLabels(const ResourceType& type) {
  std::vector<std::string> labels = {"metadata.name"};
  if (type.namespaced) labels.push_back("metadata.namespace");
  if (type.kind == "Pod")
    labels.insert(labels.end(), {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                                 "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
                                 "status.podIP", "status.podIPs", "status.nominatedNodeName"});
  if (type.kind == "Node") labels.push_back("spec.unschedulable");
  if (type.kind == "Namespace") labels.push_back("status.phase");
  if (type.storage_id == "events")
    labels.insert(labels.end(),
                  {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                   "involvedObject.uid", "involvedObject.apiVersion",
                   "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
                   "reportingComponent", "source", "type", "regarding.kind", "regarding.name",
                   "regarding.namespace", "regarding.uid", "reportingController", "note"});
  return labels;
}

std::string FieldLabelValue(const Json& stored, const std::string& label) {
  if (label == "spec.unschedulable") {
    const Json* value = FindPath(stored, {"spec", "unschedulable"});
    return (value && value->is_boolean() && value->get<bool>()) ? "true" : "false";
  }
  if (label == "spec.hostNetwork") {
    const Json* value = FindPath(stored, {"spec", "hostNetwork"});
    return (value && value->is_boolean() && value->get<bool>()) ? "true" : "false";
  }
  if (label == "source") return GetString(stored.value("source", Json::object()), "component");
  std::string rename = label;
  if (label.rfind("regarding.", 0) == 0) rename = "involvedObject." + label.substr(10);
  if (label == "reportingController") rename = "reportingComponent";
  if (label == "note") rename = "message";
  const Json* current = &stored;
  size_t start = 0;
  while (current) {
    size_t dot = rename.find('.', start);
    std::string key = rename.substr(start, dot == std::string::npos ? dot : dot - start);
    current = Find(*current, key);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (!current) return "";
  if (current->is_string()) return current->get<std::string>();
  if (current->is_array() && !current->empty()) {
    const Json& first = (*current)[0];
    return first.is_object() ? GetString(first, "ip") : EncodeCompact(first);
  }
  return current->is_null() ? "" : EncodeCompact(*current);
}

}  // namespace numalign::test_apiserver
