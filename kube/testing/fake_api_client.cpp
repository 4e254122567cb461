#include "kube/testing/fake_api_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>

#include "kube/clock/time_format.h"
#include "kube/objects/object_meta.h"
#include "kube/rest/api_error.h"

namespace numalign::kube {

namespace {

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find(separator, start);
    std::string part(text.substr(start, end == std::string_view::npos ? text.npos : end - start));
    if (!part.empty()) out.push_back(std::move(part));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

bool MatchesLabels(const Json& object, const std::string& selector) {
  const auto labels = LabelsOf(object);
  for (const auto& term : Split(selector, ',')) {
    if (auto ne = term.find("!="); ne != std::string::npos) {
      auto it = labels.find(term.substr(0, ne));
      if (it != labels.end() && it->second == term.substr(ne + 2)) return false;
    } else if (auto eq = term.find('='); eq != std::string::npos) {
      const std::size_t value_at = term.compare(eq, 2, "==") == 0 ? eq + 2 : eq + 1;
      auto it = labels.find(term.substr(0, eq));
      if (it == labels.end() || it->second != term.substr(value_at)) return false;
    } else if (term[0] == '!') {
      if (labels.contains(term.substr(1))) return false;
    } else if (term.find_first_of(" ()") != std::string::npos) {
      throw ApiError(400, "BadRequest", "fake client: unsupported label selector " + selector);
    } else if (!labels.contains(term)) {
      return false;
    }
  }
  return true;
}

bool MatchesFields(const Json& object, const std::string& selector) {
  for (const auto& term : Split(selector, ',')) {
    const bool negate = term.find("!=") != std::string::npos;
    const std::size_t op = negate ? term.find("!=") : term.find('=');
    if (op == std::string::npos) {
      throw ApiError(400, "BadRequest", "fake client: invalid field selector " + selector);
    }
    std::string pointer = "/" + term.substr(0, op);
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    const std::size_t value_at =
        negate ? op + 2 : (term.compare(op, 2, "==") == 0 ? op + 2 : op + 1);
    const bool equal = StringAt(object, pointer) == term.substr(value_at);
    if (equal == negate) return false;
  }
  return true;
}

Json SuccessStatus(int code) {
  return {{"kind", "Status"},
          {"apiVersion", "v1"},
          {"metadata", Json::object()},
          {"status", "Success"},
          {"code", code}};
}

}  // namespace

struct FakeApiClient::Watcher {
  std::string resource;
  std::string ns;
  std::string label_selector;
  std::string field_selector;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<WatchEvent> events;
  bool ended = false;

  bool Wants(const std::string& res, const Json& object) const {
    if (res != resource) return false;
    if (!ns.empty() && NamespaceOf(object) != ns) return false;
    try {
      return MatchesLabels(object, label_selector) && MatchesFields(object, field_selector);
    } catch (const ApiError&) {
      return false;
    }
  }
  void Push(WatchEvent event) {
    std::lock_guard lock(mu);
    events.push_back(std::move(event));
    cv.notify_all();
  }
  void End() {
    std::lock_guard lock(mu);
    ended = true;
    cv.notify_all();
  }
};

namespace {

class FakeWatch final : public WatchStream {
 public:
  explicit FakeWatch(std::shared_ptr<void> watcher, std::function<std::optional<WatchEvent>()> next,
                     std::function<void()> stop)
      : watcher_(std::move(watcher)), next_(std::move(next)), stop_(std::move(stop)) {}
  ~FakeWatch() override { stop_(); }
  std::optional<WatchEvent> Next() override { return next_(); }
  void Stop() override { stop_(); }

 private:
  std::shared_ptr<void> watcher_;
  std::function<std::optional<WatchEvent>()> next_;
  std::function<void()> stop_;
};

std::string KeyOf(const ResourceDescriptor& r, std::string_view ns, std::string_view name) {
  return r.resource + "|" + (r.namespaced ? std::string(ns) : "") + "|" + std::string(name);
}

}  // namespace

void FakeApiClient::Record(std::string action) {
  actions_.push_back(std::move(action));
}

std::vector<std::string> FakeApiClient::actions() const {
  std::lock_guard lock(mu_);
  return actions_;
}

void FakeApiClient::ClearActions() {
  std::lock_guard lock(mu_);
  actions_.clear();
}

void FakeApiClient::BlockEviction(std::string_view ns, std::string_view name) {
  std::lock_guard lock(mu_);
  blocked_evictions_.insert(ObjectKey(ns, name));
}

void FakeApiClient::Put(const ResourceDescriptor& r, const Json& input) {
  std::lock_guard lock(mu_);
  Json object = input;
  Json& meta = object["metadata"];
  if (UidOf(object).empty()) meta["uid"] = fmt::format("fake-uid-{}", ++uid_counter_);
  if (StringAt(object, "/metadata/creationTimestamp").empty()) {
    meta["creationTimestamp"] = FormatTime(std::chrono::system_clock::now());
  }
  WriteLocked(r, std::move(object));
}

std::optional<Json> FakeApiClient::Find(const ResourceDescriptor& r, std::string_view ns,
                                        std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = objects_.find(KeyOf(r, ns, name));
  if (it == objects_.end()) return std::nullopt;
  return it->second;
}

void FakeApiClient::DropWatches() {
  std::lock_guard lock(mu_);
  for (auto& w : watchers_) w->End();
  watchers_.clear();
}

void FakeApiClient::Notify(const ResourceDescriptor& r, WatchEventType type, const Json& object) {
  for (auto& w : watchers_) {
    if (w->Wants(r.resource, object)) w->Push({type, object});
  }
  history_.push_back({resource_version_, r.resource, type, object});
}

Json FakeApiClient::WriteLocked(const ResourceDescriptor& r, Json object) {
  object["metadata"]["resourceVersion"] = std::to_string(++resource_version_);
  if (!object.contains("kind")) object["kind"] = r.kind;
  if (!object.contains("apiVersion")) object["apiVersion"] = r.ApiVersion();
  const std::string key = KeyOf(r, NamespaceOf(object), NameOf(object));
  const bool existed = objects_.contains(key);
  objects_[key] = object;
  Notify(r, existed ? WatchEventType::kModified : WatchEventType::kAdded, object);
  return object;
}

Json FakeApiClient::Get(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                        std::string_view /*subresource*/) {
  std::lock_guard lock(mu_);
  auto it = objects_.find(KeyOf(r, ns, name));
  if (it == objects_.end()) {
    throw ApiError(404, "NotFound", fmt::format("{} \"{}\" not found", r.resource, name));
  }
  return it->second;
}

Json FakeApiClient::List(const ResourceDescriptor& r, std::string_view ns,
                         const ListOptions& options) {
  std::lock_guard lock(mu_);
  std::vector<Json> matching;
  for (const auto& [key, object] : objects_) {
    if (!key.starts_with(r.resource + "|")) continue;
    if (r.namespaced && !ns.empty() && NamespaceOf(object) != ns) continue;
    if (!MatchesLabels(object, options.label_selector)) continue;
    if (!MatchesFields(object, options.field_selector)) continue;
    matching.push_back(object);
  }
  std::size_t start = 0;
  if (!options.continue_token.empty()) start = std::stoul(options.continue_token);
  std::size_t end = matching.size();
  if (options.limit && *options.limit > 0) {
    end = std::min(end, start + static_cast<std::size_t>(*options.limit));
  }
  Json list = {{"kind", r.kind + "List"},
               {"apiVersion", r.ApiVersion()},
               {"metadata", {{"resourceVersion", std::to_string(resource_version_)}}},
               {"items", Json::array()}};
  for (std::size_t i = start; i < end && i < matching.size(); ++i)
    list["items"].push_back(matching[i]);
  if (end < matching.size()) list["metadata"]["continue"] = std::to_string(end);
  return list;
}

std::unique_ptr<WatchStream> FakeApiClient::Watch(const ResourceDescriptor& r, std::string_view ns,
                                                  const WatchOptions& options) {
  auto watcher = std::make_shared<Watcher>();
  watcher->resource = r.resource;
  watcher->ns = r.namespaced ? std::string(ns) : "";
  watcher->label_selector = options.label_selector;
  watcher->field_selector = options.field_selector;
  // Reject unsupported selectors now, as the API would, rather than on later writes.
  MatchesLabels(Json::object(), options.label_selector);
  MatchesFields(Json::object(), options.field_selector);
  {
    std::lock_guard lock(mu_);
    const std::string& rv = options.resource_version;
    if (rv.empty() || rv == "0") {
      for (const auto& [key, object] : objects_) {
        if (watcher->Wants(r.resource, object)) watcher->Push({WatchEventType::kAdded, object});
      }
    } else {
      // Replay what happened after the requested version, so List + Watch loses nothing.
      const std::int64_t since = std::stoll(rv);
      for (const auto& h : history_) {
        if (h.resource_version > since && watcher->Wants(h.resource, h.object)) {
          watcher->Push({h.type, h.object});
        }
      }
    }
    watchers_.push_back(watcher);
  }
  auto next = [watcher]() -> std::optional<WatchEvent> {
    std::unique_lock lock(watcher->mu);
    watcher->cv.wait(lock, [&] { return !watcher->events.empty() || watcher->ended; });
    if (watcher->events.empty()) return std::nullopt;
    WatchEvent e = std::move(watcher->events.front());
    watcher->events.pop_front();
    return e;
  };
  auto stop = [this, watcher] {
    watcher->End();
    std::lock_guard lock(mu_);
    std::erase(watchers_, watcher);
  };
  return std::make_unique<FakeWatch>(watcher, next, stop);
}

Json FakeApiClient::Create(const ResourceDescriptor& r, std::string_view ns, const Json& input,
                           const WriteOptions& /*options*/) {
  if (!input.is_object()) throw ApiError(400, "BadRequest", "body must be an object");
  std::lock_guard lock(mu_);
  Json object = input;
  Json& meta = object["metadata"];
  if (!meta.is_object()) meta = Json::object();
  if (NameOf(object).empty()) {
    const std::string prefix = StringAt(object, "/metadata/generateName");
    if (prefix.empty()) throw ApiError(422, "Invalid", "metadata.name: Required value");
    meta["name"] = fmt::format("{}{:05x}", prefix, ++uid_counter_ & 0xFFFFF);
  }
  if (r.namespaced) meta["namespace"] = std::string(ns);
  const std::string key = KeyOf(r, ns, NameOf(object));
  Record(fmt::format("POST {} {}", r.resource, ObjectKey(object)));
  if (objects_.contains(key)) {
    throw ApiError(409, "AlreadyExists",
                   fmt::format("{} \"{}\" already exists", r.resource, NameOf(object)));
  }
  meta["uid"] = fmt::format("fake-uid-{}", ++uid_counter_);
  meta["creationTimestamp"] = FormatTime(std::chrono::system_clock::now());
  return WriteLocked(r, std::move(object));
}

Json FakeApiClient::CreateSubresource(const ResourceDescriptor& r, std::string_view ns,
                                      std::string_view name, std::string_view subresource,
                                      const Json& body, const WriteOptions& /*options*/) {
  if (r == resources::Pods() && subresource == "binding") {
    std::lock_guard lock(mu_);
    Record(fmt::format("POST pods {}/binding", ObjectKey(ns, name)));
    auto it = objects_.find(KeyOf(r, ns, name));
    if (it == objects_.end())
      throw ApiError(404, "NotFound", fmt::format("pods \"{}\" not found", name));
    if (!StringAt(it->second, "/spec/nodeName").empty()) {
      throw ApiError(409, "Conflict", fmt::format("pod {} is already assigned", name));
    }
    Json pod = it->second;
    pod["spec"]["nodeName"] = StringAt(body, "/target/name");
    WriteLocked(r, std::move(pod));
    return SuccessStatus(201);
  }
  if (r == resources::Pods() && subresource == "eviction") {
    std::lock_guard lock(mu_);
    Record(fmt::format("POST pods {}/eviction", ObjectKey(ns, name)));
    EvictLocked(ns, name, body);
    return SuccessStatus(201);
  }
  throw ApiError(404, "NotFound", "fake client: no subresource " + std::string(subresource));
}

Json FakeApiClient::Update(const ResourceDescriptor& r, std::string_view ns, const Json& object,
                           const WriteOptions& /*options*/, std::string_view subresource) {
  std::lock_guard lock(mu_);
  const std::string name = NameOf(object);
  Record(fmt::format("PUT {} {}{}", r.resource, ObjectKey(r.namespaced ? ns : "", name),
                     subresource.empty() ? "" : "/" + std::string(subresource)));
  auto it = objects_.find(KeyOf(r, ns, name));
  if (it == objects_.end())
    throw ApiError(404, "NotFound", fmt::format("{} \"{}\" not found", r.resource, name));
  const std::string rv = ResourceVersionOf(object);
  if (!rv.empty() && rv != ResourceVersionOf(it->second)) {
    throw ApiError(409, "Conflict",
                   fmt::format("Operation cannot be fulfilled on {} \"{}\": the object has been "
                               "modified; please apply your changes to the latest version and "
                               "try again",
                               r.resource, name));
  }
  Json updated = it->second;
  if (subresource == "status") {
    updated["status"] = object.value("status", Json::object());
  } else {
    const Json kept_meta = updated["metadata"];
    const Json kept_status = updated.value("status", Json());
    updated = object;
    updated["metadata"]["uid"] = kept_meta.value("uid", "");
    updated["metadata"]["creationTimestamp"] = kept_meta.value("creationTimestamp", "");
    if (r.namespaced) updated["metadata"]["namespace"] = std::string(ns);
    if (!kept_status.is_null()) updated["status"] = kept_status;  // status has its own endpoint
  }
  return WriteLocked(r, std::move(updated));
}

Json FakeApiClient::Patch(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                          PatchType type, const Json& patch, const WriteOptions& /*options*/,
                          std::string_view subresource) {
  std::lock_guard lock(mu_);
  Record(fmt::format("PATCH {} {}{}", r.resource, ObjectKey(r.namespaced ? ns : "", name),
                     subresource.empty() ? "" : "/" + std::string(subresource)));
  auto it = objects_.find(KeyOf(r, ns, name));
  if (it == objects_.end())
    throw ApiError(404, "NotFound", fmt::format("{} \"{}\" not found", r.resource, name));
  Json patched = it->second;
  try {
    if (type == PatchType::kJson) {
      patched = patched.patch(patch);
    } else {
      const std::string rv = StringAt(patch, "/metadata/resourceVersion");
      if (!rv.empty() && rv != ResourceVersionOf(it->second)) {
        throw ApiError(409, "Conflict", "the object has been modified");
      }
      patched.merge_patch(patch);
    }
  } catch (const nlohmann::json::exception& e) {
    throw ApiError(422, "Invalid", std::string("the server rejected our request: ") + e.what());
  }
  if (subresource == "status") {
    Json only_status = it->second;
    only_status["status"] = patched.value("status", Json::object());
    patched = std::move(only_status);
  }
  patched["metadata"]["name"] = std::string(name);
  return WriteLocked(r, std::move(patched));
}

Json FakeApiClient::Apply(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                          const Json& object, const ApplyOptions& options,
                          std::string_view subresource) {
  if (options.field_manager.empty()) {
    throw ApiError(422, "Invalid",
                   "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value");
  }
  bool exists;
  {
    std::lock_guard lock(mu_);
    exists = objects_.contains(KeyOf(r, ns, name));
  }
  if (!exists) {
    Json created = object;
    created["metadata"]["name"] = std::string(name);
    return Create(r, ns, created);
  }
  return Patch(r, ns, name, PatchType::kMerge, object, {}, subresource);
}

Json FakeApiClient::Delete(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                           const DeleteOptions& options) {
  std::lock_guard lock(mu_);
  Record(fmt::format("DELETE {} {}", r.resource, ObjectKey(r.namespaced ? ns : "", name)));
  const Json object = DeleteLocked(r, ns, name, options);
  if (r == resources::Pods() || r == resources::Namespaces()) return object;
  return {{"kind", "Status"},
          {"apiVersion", "v1"},
          {"metadata", Json::object()},
          {"status", "Success"},
          {"details", {{"name", name}, {"kind", r.resource}, {"uid", UidOf(object)}}}};
}

Json FakeApiClient::DeleteLocked(const ResourceDescriptor& r, std::string_view ns,
                                 std::string_view name, const DeleteOptions& options) {
  auto it = objects_.find(KeyOf(r, ns, name));
  if (it == objects_.end())
    throw ApiError(404, "NotFound", fmt::format("{} \"{}\" not found", r.resource, name));
  if ((options.precondition_uid && *options.precondition_uid != UidOf(it->second)) ||
      (options.precondition_resource_version &&
       *options.precondition_resource_version != ResourceVersionOf(it->second))) {
    throw ApiError(409, "Conflict", "Precondition failed");
  }
  Json object = it->second;
  objects_.erase(it);
  object["metadata"]["resourceVersion"] = std::to_string(++resource_version_);
  Notify(r, WatchEventType::kDeleted, object);
  return object;
}

Json FakeApiClient::EvictLocked(std::string_view ns, std::string_view name, const Json& eviction) {
  auto it = objects_.find(KeyOf(resources::Pods(), ns, name));
  if (it == objects_.end())
    throw ApiError(404, "NotFound", fmt::format("pods \"{}\" not found", name));
  // The API server skips the budget check for pods that are not running (pending or finished)
  // or already being deleted: evicting them cannot reduce availability.
  const std::string phase = StringAt(it->second, "/status/phase");
  const bool budget_applies = phase != "Pending" && phase != "Succeeded" && phase != "Failed" &&
                              StringAt(it->second, "/metadata/deletionTimestamp").empty();
  if (budget_applies && blocked_evictions_.contains(ObjectKey(ns, name))) {
    throw ApiError(429, "TooManyRequests",
                   "Cannot evict pod as it would violate the pod's disruption budget.");
  }
  DeleteOptions options;
  const std::string uid = StringAt(eviction, "/deleteOptions/preconditions/uid");
  if (!uid.empty()) options.precondition_uid = uid;
  const std::string rv = StringAt(eviction, "/deleteOptions/preconditions/resourceVersion");
  if (!rv.empty()) options.precondition_resource_version = rv;
  return DeleteLocked(resources::Pods(), ns, name, options);
}

}  // namespace numalign::kube
