// Watch streams: synthetic ADDED events for the current state (resourceVersion unset or 0),
// replay from a resourceVersion out of the bounded history (or an ERROR 410 event when it is too
// old), selector transitions (an object leaving a selector is DELETED for that watcher),
// BOOKMARKs, and the end of the stream at timeoutSeconds.
#include <random>

#include "tests/support/apiserver/api_core.h"
#include "tests/support/apiserver/api_core_internal.h"
#include "tests/support/apiserver/selectors.h"
#include "tests/support/apiserver/table_output.h"
#include "tests/support/apiserver/wire_format.h"

namespace numalign::test_apiserver {
namespace {

Json BookmarkObject(const ResourceType& type, uint64_t revision, const Json* annotations) {
  Json metadata = {{"resourceVersion", std::to_string(revision)}};
  if (type.custom) {
    if (annotations) metadata["annotations"] = *annotations;
    return SortKeysRecursively(
        {{"apiVersion", type.GroupVersion()}, {"kind", type.kind}, {"metadata", metadata}});
  }
  metadata["creationTimestamp"] = nullptr;
  if (annotations) metadata["annotations"] = *annotations;
  Json object = {{"kind", type.kind}, {"apiVersion", type.GroupVersion()}, {"metadata", metadata}};
  if (type.kind == "Pod") {
    object["spec"] = {{"containers", nullptr}};
    object["status"] = Json::object();
  } else if (type.kind == "Node") {
    object["spec"] = Json::object();
    object["status"] = {{"daemonEndpoints", {{"kubeletEndpoint", {{"Port", 0}}}}},
                        {"nodeInfo",
                         {{"machineID", ""},
                          {"systemUUID", ""},
                          {"bootID", ""},
                          {"kernelVersion", ""},
                          {"osImage", ""},
                          {"containerRuntimeVersion", ""},
                          {"kubeletVersion", ""},
                          {"kubeProxyVersion", ""},
                          {"operatingSystem", ""},
                          {"architecture", ""}}}};
  } else if (type.kind == "Namespace") {
    object["spec"] = Json::object();
    object["status"] = Json::object();
  } else if (type.kind == "Lease") {
    object["spec"] = Json::object();
  }
  return object;
}

std::string EventChunk(const std::string& type, const Json& object) {
  Json event = {{"type", type}, {"object", object}};
  return EncodeWire(event);
}

}  // namespace

ApiResponse ApiServerCore::Watch(const ApiRequest& request, const Target& target) {
  auto type = target.type;
  bool table = WantsTable(request);
  std::string include_object = request.Query("includeObject").value_or("Metadata");
  auto label_selector = LabelSelector::Parse(request.Query("labelSelector").value_or(""));
  auto field_selector = FieldSelector::Parse(request.Query("fieldSelector").value_or(""),
                                             SupportedFieldLabels(*type));
  auto bool_query = [&](const char* name) {
    auto value = request.Query(name);
    return value && (*value == "true" || *value == "1" || *value == "True");
  };
  bool bookmarks = bool_query("allowWatchBookmarks");
  bool send_initial = bool_query("sendInitialEvents");
  std::string rv = request.Query("resourceVersion").value_or("");
  std::optional<uint64_t> from;
  if (!rv.empty() && rv != "0" && !send_initial) {
    try {
      size_t used = 0;
      unsigned long long value = std::stoull(rv, &used);
      if (used != rv.size()) throw std::invalid_argument(rv);
      from = value;
    } catch (const std::exception&) {
      throw BadRequest("invalid resource version \"" + rv + "\"");
    }
  }
  std::chrono::seconds timeout;
  if (auto seconds = request.Query("timeoutSeconds"); seconds && !seconds->empty()) {
    try {
      timeout = std::chrono::seconds(std::max(0LL, std::stoll(*seconds)));
    } catch (const std::exception&) {
      throw BadRequest("invalid timeoutSeconds \"" + *seconds + "\"");
    }
  } else {
    // kube-apiserver picks a random timeout between --min-request-timeout and twice that.
    std::mt19937 rng{std::random_device{}()};
    timeout = std::chrono::seconds(1800 + std::uniform_int_distribution<int>(0, 1800)(rng));
  }
  auto subscription = std::make_shared<ObjectStore::Subscription>(
      store_.Subscribe(type->storage_id, from, target.ns));
  std::string ns = target.ns;
  auto bookmark_interval = options_.bookmark_interval;
  ObjectStore* store = &store_;

  ApiResponse response;
  response.stream = [=](ChunkSink& sink) mutable {
    if (subscription->too_old) {
      Json status = FailureStatus(
          410, "Expired",
          "too old resource version: " + rv + " (" + std::to_string(subscription->oldest) + ")",
          nullptr);
      sink.WriteChunk(EventChunk("ERROR", status));
      return;
    }
    auto matches = [&](const Json& object) {
      if (object.is_null()) return false;
      if (!ns.empty() && MetadataString(object, "namespace") != ns) return false;
      const Json* labels = FindPath(object, {"metadata", "labels"});
      return label_selector.Matches(labels ? *labels : Json::object()) &&
             field_selector.Matches(object, FieldLabelValue);
    };
    auto send = [&](const std::string& event_type, const Json& stored) {
      Json view = ToServedView(stored, *type);
      if (table)
        view = RenderTable(*type, {view}, MetadataString(view, "resourceVersion"), include_object);
      return sink.WriteChunk(EventChunk(event_type, view));
    };
    auto deliver = [&](const StoreEvent& event) {
      if (from && event.revision <= *from) return true;
      bool now = matches(event.object);
      bool before = matches(event.previous);
      switch (event.type) {
        case EventType::kAdded:
          return now ? send("ADDED", event.object) : true;
        case EventType::kModified:
          if (now && before) return send("MODIFIED", event.object);
          if (now) return send("ADDED", event.object);
          if (before) return send("DELETED", event.object);
          return true;
        case EventType::kDeleted:
          return (before || now) ? send("DELETED", event.object) : true;
      }
      return true;
    };
    if (!from) {
      for (const auto& object : subscription->initial_state)
        if (matches(object) && !send("ADDED", object)) return;
      if (send_initial && bookmarks) {
        Json blueprint = {{"kind", type->list_kind},
                          {"apiVersion", type->GroupVersion()},
                          {"metadata", Json::object()},
                          {"items", nullptr}};
        Json annotations = {
            {"k8s.io/initial-events-end", "true"},
            {"kubernetes.io/initial-events-list-blueprint", Base64Encode(EncodeWire(blueprint))}};
        if (!sink.WriteChunk(EventChunk(
                "BOOKMARK", BookmarkObject(*type, subscription->revision, &annotations))))
          return;
      }
      from = subscription->revision;
    }
    for (const auto& event : subscription->backlog)
      if (!deliver(*event)) return;

    auto start = std::chrono::steady_clock::now();
    auto deadline = start + timeout;
    auto next_bookmark = start + bookmark_interval;
    // The watch cache also sends a bookmark shortly before the deadline (2 s before it).
    auto final_bookmark = deadline - std::chrono::seconds(2);
    bool final_bookmark_sent = timeout < std::chrono::seconds(3);
    while (true) {
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return;
      auto wake = deadline;
      if (bookmarks) {
        wake = std::min(wake, next_bookmark);
        if (!final_bookmark_sent) wake = std::min(wake, final_bookmark);
      }
      auto event = subscription->watcher->Next(wake);
      if (event) {
        if (!deliver(*event)) return;
        continue;
      }
      if (subscription->watcher->closed()) return;
      now = std::chrono::steady_clock::now();
      if (bookmarks && (now >= next_bookmark || (!final_bookmark_sent && now >= final_bookmark))) {
        if (now >= final_bookmark) final_bookmark_sent = true;
        if (now >= next_bookmark) next_bookmark = now + bookmark_interval;
        if (!sink.WriteChunk(
                EventChunk("BOOKMARK", BookmarkObject(*type, store->CurrentRevision(), nullptr))))
          return;
      }
    }
  };
  return response;
}

}  // namespace numalign::test_apiserver
