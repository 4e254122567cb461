#include "tests/support/apiserver/object_store.h"

#include <algorithm>

namespace numalign::test_apiserver {
namespace {
std::string Key(const std::string& ns, const std::string& name) {
  return ns + "/" + name;
}
}  // namespace

const char* EventTypeName(EventType type) {
  switch (type) {
    case EventType::kAdded:
      return "ADDED";
    case EventType::kModified:
      return "MODIFIED";
    case EventType::kDeleted:
      return "DELETED";
  }
  return "ERROR";
}

void Watcher::Push(std::shared_ptr<const StoreEvent> event) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    queue_.push_back(std::move(event));
  }
  ready_.notify_all();
}

void Watcher::Close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

bool Watcher::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::shared_ptr<const StoreEvent> Watcher::Next(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  ready_.wait_until(lock, deadline, [&] { return closed_ || !queue_.empty(); });
  if (closed_ || queue_.empty()) return nullptr;
  auto event = queue_.front();
  queue_.pop_front();
  return event;
}

ObjectStore::ObjectStore(size_t history_limit)
    : history_limit_(std::max<size_t>(history_limit, 1)) {}

uint64_t ObjectStore::CurrentRevision() {
  std::lock_guard lock(mutex_);
  return revision_;
}

const Json* ObjectStore::GetLocked(const std::string& storage_id, const std::string& ns,
                                   const std::string& name) const {
  auto type = objects_.find(storage_id);
  if (type == objects_.end()) return nullptr;
  auto it = type->second.find(Key(ns, name));
  return it == type->second.end() ? nullptr : &it->second;
}

std::vector<Json> ObjectStore::ListLocked(const std::string& storage_id,
                                          const std::string& ns) const {
  std::vector<Json> items;
  auto type = objects_.find(storage_id);
  if (type == objects_.end()) return items;
  for (const auto& [key, object] : type->second)
    if (ns.empty() || key.compare(0, ns.size() + 1, ns + "/") == 0) items.push_back(object);
  return items;
}

std::optional<std::vector<Json>> ObjectStore::ListAtLocked(const std::string& storage_id,
                                                           const std::string& ns,
                                                           uint64_t revision) const {
  if (revision < floor_) return std::nullopt;
  // Start from the current state and undo every later write of this storage id.
  std::map<std::string, Json> state;
  if (auto type = objects_.find(storage_id); type != objects_.end()) state = type->second;
  for (auto it = history_.rbegin(); it != history_.rend(); ++it) {
    const StoreEvent& event = **it;
    if (event.revision <= revision) break;
    if (event.storage_id != storage_id) continue;
    std::string key = Key(event.namespace_name, event.name);
    if (event.type == EventType::kAdded)
      state.erase(key);
    else
      state[key] = event.previous;
  }
  std::vector<Json> items;
  for (const auto& [key, object] : state)
    if (ns.empty() || key.compare(0, ns.size() + 1, ns + "/") == 0) items.push_back(object);
  return items;
}

void ObjectStore::RecordLocked(std::shared_ptr<const StoreEvent> event) {
  history_.push_back(event);
  while (history_.size() > history_limit_) {
    floor_ = history_.front()->revision;
    history_.pop_front();
  }
  // Deliver to live watchers of this storage id; drop the ones whose session ended.
  std::erase_if(watchers_, [](const auto& weak) { return weak.expired(); });
  for (const auto& weak : watchers_)
    if (auto watcher = weak.lock(); watcher && watcher->storage_id() == event->storage_id)
      watcher->Push(event);
}

uint64_t ObjectStore::PutLocked(const std::string& storage_id, const std::string& ns,
                                const std::string& name, Json object) {
  uint64_t revision = ++revision_;
  object["metadata"]["resourceVersion"] = std::to_string(revision);
  auto& slot = objects_[storage_id][Key(ns, name)];
  auto event = std::make_shared<StoreEvent>();
  event->type = slot.is_null() ? EventType::kAdded : EventType::kModified;
  event->revision = revision;
  event->storage_id = storage_id;
  event->namespace_name = ns;
  event->name = name;
  event->previous = slot;
  event->object = object;
  slot = std::move(object);
  RecordLocked(event);
  return revision;
}

uint64_t ObjectStore::RemoveLocked(const std::string& storage_id, const std::string& ns,
                                   const std::string& name, Json final_state) {
  uint64_t revision = ++revision_;
  auto& type = objects_[storage_id];
  auto it = type.find(Key(ns, name));
  auto event = std::make_shared<StoreEvent>();
  event->type = EventType::kDeleted;
  event->revision = revision;
  event->storage_id = storage_id;
  event->namespace_name = ns;
  event->name = name;
  if (it != type.end()) {
    event->previous = it->second;
    type.erase(it);
  }
  final_state["metadata"]["resourceVersion"] = std::to_string(revision);
  event->object = std::move(final_state);
  RecordLocked(event);
  return revision;
}

std::vector<std::pair<std::string, std::string>> ObjectStore::ObjectsInNamespaceLocked(
    const std::string& ns) const {
  std::vector<std::pair<std::string, std::string>> found;
  std::string prefix = ns + "/";
  for (const auto& [storage_id, objects] : objects_)
    for (const auto& [key, object] : objects)
      if (key.compare(0, prefix.size(), prefix) == 0)
        found.emplace_back(storage_id, key.substr(prefix.size()));
  return found;
}

std::vector<std::string> ObjectStore::NamesLocked(const std::string& storage_id) const {
  std::vector<std::string> names;
  if (auto type = objects_.find(storage_id); type != objects_.end())
    for (const auto& [key, object] : type->second) names.push_back(key);
  return names;
}

ObjectStore::Subscription ObjectStore::Subscribe(const std::string& storage_id,
                                                 std::optional<uint64_t> from_revision,
                                                 const std::string& ns) {
  std::lock_guard lock(mutex_);
  Subscription subscription;
  subscription.revision = revision_;
  if (from_revision) {
    if (*from_revision < floor_) {
      subscription.too_old = true;
      subscription.oldest = floor_;
      return subscription;
    }
    for (const auto& event : history_)
      if (event->revision > *from_revision && event->storage_id == storage_id)
        subscription.backlog.push_back(event);
  } else {
    subscription.initial_state = ListLocked(storage_id, ns);
  }
  subscription.watcher = std::make_shared<Watcher>(storage_id);
  watchers_.push_back(subscription.watcher);
  return subscription;
}

void ObjectStore::CloseAllWatchers() {
  std::lock_guard lock(mutex_);
  for (const auto& weak : watchers_)
    if (auto watcher = weak.lock()) watcher->Close();
  watchers_.clear();
}

void ObjectStore::Compact() {
  std::lock_guard lock(mutex_);
  history_.clear();
  floor_ = revision_;
}

uint64_t ObjectStore::OldestRetainedRevision() {
  std::lock_guard lock(mutex_);
  return floor_;
}

size_t ObjectStore::WatcherCount() {
  std::lock_guard lock(mutex_);
  std::erase_if(watchers_, [](const auto& weak) { return weak.expired(); });
  return watchers_.size();
}

}  // namespace numalign::test_apiserver
