#include "kube/informer/informer.h"

#include <spdlog/spdlog.h>

#include <set>

#include "kube/objects/object_meta.h"

namespace numalign::kube {

namespace {

// A throwing handler must not stop the others or the reflector: log and go on.
template <typename Call>
void Guarded(Call&& call) {
  try {
    call();
  } catch (const std::exception& e) {
    spdlog::error("informer: event handler failed: {}", e.what());
  }
}

}  // namespace

Informer::Informer(std::shared_ptr<ListerWatcher> lister_watcher, InformerOptions options)
    : options_(std::move(options)),
      reflector_(std::move(lister_watcher), *this, options_.reflector, options_.clock) {}

Informer::~Informer() {
  Stop();
}

void Informer::AddEventHandler(EventHandler handler) {
  std::lock_guard lock(dispatch_mu_);
  if (handler.on_add) {
    for (const auto& object : store_.List()) handler.on_add(object);
  }
  handlers_.push_back(std::move(handler));
}

void Informer::Start() {
  if (reflector_thread_.joinable()) return;
  reflector_thread_ = std::jthread([this](std::stop_token stop) { reflector_.Run(stop); });
  if (options_.resync_period.count() > 0) {
    resync_thread_ = std::jthread([this](std::stop_token stop) {
      while (options_.clock->SleepFor(options_.resync_period, stop)) Resync();
    });
  }
}

void Informer::Stop() {
  if (reflector_thread_.joinable()) {
    reflector_thread_.request_stop();
    reflector_thread_.join();
  }
  if (resync_thread_.joinable()) {
    resync_thread_.request_stop();
    resync_thread_.join();
  }
}

bool Informer::WaitForSync(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(sync_mu_);
  return sync_cv_.wait_for(lock, timeout, [&] { return synced_.load(); });
}

void Informer::Replace(std::vector<Json> items, const std::string& /*resource_version*/) {
  std::lock_guard lock(dispatch_mu_);
  std::set<std::string> listed;
  for (auto& item : items) {
    auto object = std::make_shared<const Json>(std::move(item));
    const std::string key = ObjectKey(*object);
    if (!listed.insert(key).second) continue;  // a duplicate item in a list: keep the first
    ObjectPtr old = store_.Get(key);
    if (old && ResourceVersionOf(*old) == ResourceVersionOf(*object)) continue;  // unchanged
    store_.Upsert(object);
    if (old) {
      NotifyUpdate(old, object);
    } else {
      NotifyAdd(object);
    }
  }
  // Whatever the cache holds that the list lacks was deleted while we were not watching.
  for (const auto& key : store_.Keys()) {
    if (listed.contains(key)) continue;
    if (ObjectPtr gone = store_.Remove(key)) NotifyDelete(gone);
  }
  if (!synced_) {
    std::lock_guard sync_lock(sync_mu_);
    synced_ = true;
    sync_cv_.notify_all();
  }
}

void Informer::Apply(WatchEventType type, Json object_json) {
  std::lock_guard lock(dispatch_mu_);
  auto object = std::make_shared<const Json>(std::move(object_json));
  const std::string key = ObjectKey(*object);
  if (type == WatchEventType::kDeleted) {
    if (store_.Remove(key)) NotifyDelete(object);
    return;
  }
  ObjectPtr old = store_.Get(key);
  if (old && ResourceVersionOf(*old) == ResourceVersionOf(*object)) return;  // already seen
  store_.Upsert(object);
  if (old) {
    NotifyUpdate(old, object);
  } else {
    NotifyAdd(object);
  }
}

void Informer::Resync() {
  std::lock_guard lock(dispatch_mu_);
  for (const auto& object : store_.List()) NotifyUpdate(object, object);
}

void Informer::NotifyAdd(const ObjectPtr& object) {
  for (const auto& h : handlers_) {
    if (h.on_add) Guarded([&] { h.on_add(object); });
  }
}

void Informer::NotifyUpdate(const ObjectPtr& old, const ObjectPtr& now) {
  for (const auto& h : handlers_) {
    if (h.on_update) Guarded([&] { h.on_update(old, now); });
  }
}

void Informer::NotifyDelete(const ObjectPtr& object) {
  for (const auto& h : handlers_) {
    if (h.on_delete) Guarded([&] { h.on_delete(object); });
  }
}

}  // namespace numalign::kube
