#include "tests/support/apiserver/table_output.h"

#include <algorithm>

namespace numalign::test_apiserver {
namespace {

const char* kNameDescription =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name automatically. "
    "Name is primarily intended for creation idempotence and configuration definition. Cannot be "
    "updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/"
    "names#names";
const char* kAgeDescription =
    "CreationTimestamp is a timestamp representing the server time when this object was created. "
    "It is not guaranteed to be set in happens-before order across separate operations. Clients "
    "may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the "
    "system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/"
    "devel/sig-architecture/api-conventions.md#metadata";
const char* kAddressesDescription =
    "List of addresses reachable to the node. Queried from cloud provider, if available. More "
    "info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is "
    "declared as mergeable, but the merge key is not sufficiently unique, which can cause data "
    "corruption when it is merged. Callers should instead use a full-replacement patch. See "
    "https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change "
    "during the lifetime of a Node. However, there are some exceptions where this may not be "
    "possible, such as Pods that inherit a Node's address in its own status or consumers of the "
    "downward API (status.hostIP).";

Json Column(const std::string& name, const std::string& type, const std::string& format,
            const std::string& description, int priority) {
  Json column = {{"name", name}, {"type", type}, {"format", format}};
  if (!description.empty()) column["description"] = description;
  column["priority"] = priority;
  return column;
}

std::string Age(const Json& object) {
  auto created =
      ParseTime(GetString(object.value("metadata", Json::object()), "creationTimestamp"));
  if (!created) return "<unknown>";
  return HumanDuration(std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now() - *created));
}

std::string OrNone(const std::string& value) {
  return value.empty() ? "<none>" : value;
}

Json PodColumns() {
  return Json::array(
      {Column("Name", "string", "name", kNameDescription, 0),
       Column("Ready", "string", "",
              "The aggregate readiness state of this pod for accepting traffic.", 0),
       Column("Status", "string", "", "The aggregate status of the containers in this pod.", 0),
       Column("Restarts", "string", "",
              "The number of times the containers in this pod have been restarted and when the "
              "last container in this pod has restarted.",
              0),
       Column("Age", "string", "", kAgeDescription, 0),
       Column("IP", "string", "",
              "podIP address allocated to the pod. Routable at least within the cluster. Empty if "
              "not yet allocated.",
              1),
       Column(
           "Node", "string", "",
           "NodeName indicates in which node this pod is scheduled. If empty, this pod is a "
           "candidate for scheduling by the scheduler defined in schedulerName. Once this field "
           "is set, the kubelet for this node becomes responsible for the lifecycle of this pod. "
           "This field should not be used to express a desire for the pod to be scheduled on a "
           "specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/"
           "assign-pod-node/#nodename",
           1),
       Column("Nominated Node", "string", "",
              "nominatedNodeName is set only when this pod preempts other pods on the node, but it "
              "cannot be scheduled right away as preemption victims receive their graceful "
              "termination periods. This field does not guarantee that the pod will be scheduled "
              "on this node. Scheduler may decide to place the pod elsewhere if other nodes become "
              "available sooner. Scheduler may also decide to give the resources on this node to a "
              "higher priority pod that is created after preemption. As a result, this field may "
              "be different than PodSpec.nodeName when the pod is scheduled.",
              1),
       Column("Readiness Gates", "string", "",
              "If specified, all readiness gates will be evaluated for pod readiness. A pod is "
              "ready when all its containers are ready AND all conditions specified in the "
              "readiness gates have status equal to \"True\" More info: "
              "https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates",
              1)});
}

Json PodCells(const Json& pod) {
  const Json* containers = FindPath(pod, {"spec", "containers"});
  size_t total = containers && containers->is_array() ? containers->size() : 0;
  size_t ready = 0;
  int restarts = 0;
  if (const Json* statuses = FindPath(pod, {"status", "containerStatuses"});
      statuses && statuses->is_array())
    for (const auto& status : *statuses) {
      if (const Json* r = Find(status, "ready"); r && r->is_boolean() && r->get<bool>()) ++ready;
      if (const Json* c = Find(status, "restartCount"); c && c->is_number_integer())
        restarts += c->get<int>();
    }
  std::string phase = GetString(pod.value("status", Json::object()), "phase");
  std::string reason = GetString(pod.value("status", Json::object()), "reason");
  std::string status = reason.empty() ? phase : reason;
  if (FindPath(pod, {"metadata", "deletionTimestamp"})) status = "Terminating";
  std::string ip = GetString(pod.value("status", Json::object()), "podIP");
  std::string node = GetString(pod.value("spec", Json::object()), "nodeName");
  std::string nominated = GetString(pod.value("status", Json::object()), "nominatedNodeName");
  return Json::array({GetString(pod["metadata"], "name"),
                      std::to_string(ready) + "/" + std::to_string(total), status,
                      std::to_string(restarts), Age(pod), OrNone(ip), OrNone(node),
                      OrNone(nominated), "<none>"});
}

Json NodeColumns() {
  return Json::array(
      {Column("Name", "string", "name", kNameDescription, 0),
       Column("Status", "string", "", "The status of the node", 0),
       Column("Roles", "string", "", "The roles of the node", 0),
       Column("Age", "string", "", kAgeDescription, 0),
       Column("Version", "string", "", "Kubelet Version reported by the node.", 0),
       Column("Internal-IP", "string", "", kAddressesDescription, 1),
       Column("External-IP", "string", "", kAddressesDescription, 1),
       Column("OS-Image", "string", "",
              "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 "
              "(wheezy)).",
              1),
       Column("Kernel-Version", "string", "",
              "Kernel Version reported by the node from 'uname -r' (e.g. "
              "3.16.0-0.bpo.4-amd64).",
              1),
       Column("Container-Runtime", "string", "",
              "ContainerRuntime Version reported by the node through runtime remote API (e.g. "
              "containerd://1.4.2).",
              1)});
}

Json NodeCells(const Json& node) {
  std::string status = "Unknown";
  if (const Json* conditions = FindPath(node, {"status", "conditions"});
      conditions && conditions->is_array())
    for (const auto& condition : *conditions)
      if (GetString(condition, "type") == "Ready")
        status = GetString(condition, "status") == "True" ? "Ready" : "NotReady";
  if (const Json* unschedulable = FindPath(node, {"spec", "unschedulable"});
      unschedulable && unschedulable->is_boolean() && unschedulable->get<bool>())
    status += ",SchedulingDisabled";
  std::string roles;
  if (const Json* labels = FindPath(node, {"metadata", "labels"}))
    for (const auto& [key, value] : labels->items())
      if (key.rfind("node-role.kubernetes.io/", 0) == 0)
        roles += (roles.empty() ? "" : ",") + key.substr(24);
  std::string internal_ip, external_ip;
  if (const Json* addresses = FindPath(node, {"status", "addresses"});
      addresses && addresses->is_array())
    for (const auto& address : *addresses) {
      if (GetString(address, "type") == "InternalIP" && internal_ip.empty())
        internal_ip = GetString(address, "address");
      if (GetString(address, "type") == "ExternalIP" && external_ip.empty())
        external_ip = GetString(address, "address");
    }
  const Json info = node.value("status", Json::object()).value("nodeInfo", Json::object());
  auto unknown = [](const std::string& value) { return value.empty() ? "<unknown>" : value; };
  return Json::array({GetString(node["metadata"], "name"), status, OrNone(roles), Age(node),
                      GetString(info, "kubeletVersion"), OrNone(internal_ip), OrNone(external_ip),
                      unknown(GetString(info, "osImage")),
                      unknown(GetString(info, "kernelVersion")),
                      unknown(GetString(info, "containerRuntimeVersion"))});
}

Json NamespaceColumns() {
  return Json::array({Column("Name", "string", "name", kNameDescription, 0),
                      Column("Status", "string", "", "The status of the namespace", 0),
                      Column("Age", "string", "", kAgeDescription, 0)});
}

Json PartialObjectMetadata(const Json& object) {
  Json metadata = object.value("metadata", Json::object());
  return {
      {"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", metadata}};
}

}  // namespace

Json RenderTable(const ResourceType& type, const std::vector<Json>& items,
                 const std::string& resource_version, const std::string& include_object,
                 const std::string& continue_token) {
  Json columns;
  std::function<Json(const Json&)> cells;
  if (type.kind == "Pod" && !type.custom) {
    columns = PodColumns();
    cells = PodCells;
  } else if (type.kind == "Node" && !type.custom) {
    columns = NodeColumns();
    cells = NodeCells;
  } else if (type.kind == "Namespace" && !type.custom) {
    columns = NamespaceColumns();
    cells = [](const Json& ns) {
      return Json::array({GetString(ns["metadata"], "name"),
                          GetString(ns.value("status", Json::object()), "phase"), Age(ns)});
    };
  } else if (type.kind == "Lease" && !type.custom) {
    columns = Json::array({Column("Name", "string", "name", kNameDescription, 0),
                           Column("Holder", "string", "",
                                  "holderIdentity contains the identity of the holder of a current "
                                  "lease. If Coordinated Leader Election is used, the holder "
                                  "identity must be equal to the elected LeaseCandidate.metadata."
                                  "name field.",
                                  0),
                           Column("Age", "string", "", kAgeDescription, 0)});
    cells = [](const Json& lease) {
      return Json::array({GetString(lease["metadata"], "name"),
                          GetString(lease.value("spec", Json::object()), "holderIdentity"),
                          Age(lease)});
    };
  } else if (type.kind == "ConfigMap" && !type.custom) {
    columns = Json::array({Column("Name", "string", "name", kNameDescription, 0),
                           Column("Data", "integer", "", "", 0),
                           Column("Age", "string", "", kAgeDescription, 0)});
    cells = [](const Json& map) {
      size_t count =
          map.value("data", Json::object()).size() + map.value("binaryData", Json::object()).size();
      return Json::array({GetString(map["metadata"], "name"), count, Age(map)});
    };
  } else if (type.storage_id == "events") {
    // The core/v1 event printer (kubectl get events), also used for events.k8s.io.
    columns =
        Json::array({Column("Last Seen", "string", "", "", 0), Column("Type", "string", "", "", 0),
                     Column("Reason", "string", "", "", 0), Column("Object", "string", "", "", 0),
                     Column("Message", "string", "", "", 0)});
    cells = [](const Json& event) {
      bool v1 = GetString(event, "apiVersion") == "events.k8s.io/v1";
      const Json regarding = event.value(v1 ? "regarding" : "involvedObject", Json::object());
      std::string kind = GetString(regarding, "kind");
      std::transform(kind.begin(), kind.end(), kind.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string when = GetString(event, v1 ? "deprecatedLastTimestamp" : "lastTimestamp");
      if (when.empty()) when = GetString(event, "eventTime");
      std::string last_seen = "<unknown>";
      if (auto parsed = ParseTime(when))
        last_seen = HumanDuration(std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::system_clock::now() - *parsed));
      return Json::array({last_seen, GetString(event, "type"), GetString(event, "reason"),
                          kind + "/" + GetString(regarding, "name"),
                          GetString(event, v1 ? "note" : "message")});
    };
  } else if (type.custom) {
    // A CRD without additionalPrinterColumns: Name and Age (type date, yet a rendered duration).
    columns = Json::array({Column("Name", "string", "name", kNameDescription, 0),
                           Column("Age", "date", "", kAgeDescription, 0)});
    cells = [](const Json& object) {
      return Json::array({GetString(object["metadata"], "name"), Age(object)});
    };
  } else {
    columns = Json::array({Column("Name", "string", "name", kNameDescription, 0),
                           Column("Created At", "date", "", kAgeDescription, 0)});
    cells = [](const Json& object) {
      return Json::array({GetString(object["metadata"], "name"),
                          GetString(object["metadata"], "creationTimestamp")});
    };
  }
  Json rows = Json::array();
  for (const auto& item : items) {
    Json row = {{"cells", cells(item)}};
    if (include_object == "None")
      row["object"] = nullptr;
    else if (include_object == "Object")
      row["object"] = item;
    else
      row["object"] = PartialObjectMetadata(item);
    rows.push_back(row);
  }
  Json metadata = {{"resourceVersion", resource_version}};
  if (!continue_token.empty()) metadata["continue"] = continue_token;
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", metadata},
          {"columnDefinitions", columns},
          {"rows", rows}};
}

}  // namespace numalign::test_apiserver
