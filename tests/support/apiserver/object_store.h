// An etcd-like versioned store: one global, monotonic revision; every write gets the next revision
// and is recorded in a bounded history that serves watches from a resourceVersion and lists at an
// older revision. Watchers receive events in revision order.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/apiserver/json_util.h"

namespace numalign::test_apiserver {

enum class EventType { kAdded, kModified, kDeleted };
const char* EventTypeName(EventType type);

struct StoreEvent {
  EventType type;
  uint64_t revision;
  std::string storage_id;
  std::string namespace_name;
  std::string name;
  Json object;    // state after the write (the last state for DELETED, with the new revision)
  Json previous;  // state before the write (null for ADDED)
};

// A watch subscription: events are queued by the store and drained by the HTTP session.
class Watcher {
 public:
  explicit Watcher(std::string storage_id) : storage_id_(std::move(storage_id)) {}
  const std::string& storage_id() const { return storage_id_; }
  void Push(std::shared_ptr<const StoreEvent> event);
  void Close();
  // Waits until an event is available, the watcher is closed, or the deadline passes.
  // Returns nullptr on timeout or close (check closed()).
  std::shared_ptr<const StoreEvent> Next(std::chrono::steady_clock::time_point deadline);
  bool closed() const;

 private:
  std::string storage_id_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::shared_ptr<const StoreEvent>> queue_;
  bool closed_ = false;
};

class ObjectStore {
 public:
  explicit ObjectStore(size_t history_limit);

  // All reads and writes below with "Locked" in the name need the lock from Lock(), so handlers
  // can read-modify-write atomically (optimistic concurrency is checked under it).
  std::unique_lock<std::mutex> Lock() { return std::unique_lock(mutex_); }

  uint64_t CurrentRevisionLocked() const { return revision_; }
  uint64_t CurrentRevision();
  const Json* GetLocked(const std::string& storage_id, const std::string& ns,
                        const std::string& name) const;
  // Objects of a storage id (optionally one namespace), sorted by namespace then name.
  std::vector<Json> ListLocked(const std::string& storage_id, const std::string& ns) const;
  // The same at an older revision; nullopt when the history no longer reaches back that far.
  std::optional<std::vector<Json>> ListAtLocked(const std::string& storage_id,
                                                const std::string& ns, uint64_t revision) const;
  // Stores the object with the next revision (written into metadata.resourceVersion).
  uint64_t PutLocked(const std::string& storage_id, const std::string& ns, const std::string& name,
                     Json object);
  // Removes the object; the DELETED event carries final_state with the next revision.
  uint64_t RemoveLocked(const std::string& storage_id, const std::string& ns,
                        const std::string& name, Json final_state);
  // Every namespaced object in a namespace, as (storage id, name) pairs.
  std::vector<std::pair<std::string, std::string>> ObjectsInNamespaceLocked(
      const std::string& ns) const;
  std::vector<std::string> NamesLocked(const std::string& storage_id) const;

  // Subscribes to a storage id. With from_revision set, returns the recorded events after it
  // (backlog) or sets too_old (and oldest) when the history does not reach back that far.
  struct Subscription {
    std::shared_ptr<Watcher> watcher;
    std::vector<std::shared_ptr<const StoreEvent>> backlog;
    std::vector<Json> initial_state;  // current objects, for watches without a revision
    uint64_t revision = 0;            // store revision at subscription time
    bool too_old = false;
    uint64_t oldest = 0;
  };
  Subscription Subscribe(const std::string& storage_id, std::optional<uint64_t> from_revision,
                         const std::string& ns);

  // Test faults.
  void CloseAllWatchers();
  void Compact();  // forget all history: older revisions answer 410
  uint64_t OldestRetainedRevision();
  size_t WatcherCount();

 private:
  void RecordLocked(std::shared_ptr<const StoreEvent> event);

  mutable std::mutex mutex_;
  size_t history_limit_;
  uint64_t revision_ = 100;  // a fresh cluster's revision is "in the low hundreds"
  uint64_t floor_ = 100;     // revisions <= floor_ are compacted away (history starts after it)
  // storage id -> "namespace/name" -> object
  std::map<std::string, std::map<std::string, Json>> objects_;
  std::deque<std::shared_ptr<const StoreEvent>> history_;
  std::vector<std::weak_ptr<Watcher>> watchers_;
};

}  // namespace numalign::test_apiserver
