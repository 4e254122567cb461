#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "kube/clock/clock.h"
#include "kube/informer/reflector.h"
#include "kube/informer/store.h"

namespace numalign::kube {

// Callbacks for cache changes. Any may be empty. They run one at a time, in event order, on the
// informer's threads: keep them short and never call AddEventHandler or Stop from inside.
struct EventHandler {
  std::function<void(const ObjectPtr& object)> on_add;
  // On a real change, and every resync period with old == now.
  std::function<void(const ObjectPtr& old, const ObjectPtr& now)> on_update;
  // The last state known (for a relist-detected deletion, the last cached state).
  std::function<void(const ObjectPtr& object)> on_delete;
};

struct InformerOptions {
  // 0 disables periodic resync.
  std::chrono::milliseconds resync_period{0};
  ReflectorOptions reflector;
  std::shared_ptr<Clock> clock = SystemClock();
};

// A shared informer: a Reflector keeping a Store current, and handlers told of every change.
// Across reconnects and relists each change is delivered exactly once: watch events whose
// resourceVersion the cache already holds are dropped, and a relist reports only the
// difference (adds, updates for a changed resourceVersion, deletes for vanished objects).
class Informer final : private ReflectorSink {
 public:
  Informer(std::shared_ptr<ListerWatcher> lister_watcher, InformerOptions options = {});
  ~Informer() override;
  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  // Indexers must be added before Start().
  void AddIndexer(const std::string& name, IndexFunc index) { store_.AddIndexer(name, index); }
  // A handler added after objects are cached first gets an add for each of them.
  void AddEventHandler(EventHandler handler);

  void Start();
  // Stops the threads; idempotent; also done by the destructor.
  void Stop();

  // The first list has been applied to the cache.
  bool HasSynced() const { return synced_; }
  // Waits in real time; false on timeout.
  bool WaitForSync(std::chrono::milliseconds timeout) const;

  const Store& store() const { return store_; }
  const Reflector& reflector() const { return reflector_; }

 private:
  void Replace(std::vector<Json> items, const std::string& resource_version) override;
  void Apply(WatchEventType type, Json object) override;
  void Resync();

  void NotifyAdd(const ObjectPtr& object);
  void NotifyUpdate(const ObjectPtr& old, const ObjectPtr& now);
  void NotifyDelete(const ObjectPtr& object);

  InformerOptions options_;
  Store store_;
  Reflector reflector_;
  // Serialises cache mutations with handler calls so handlers see changes in order.
  mutable std::mutex dispatch_mu_;
  std::vector<EventHandler> handlers_;
  std::atomic<bool> synced_ = false;
  mutable std::mutex sync_mu_;
  mutable std::condition_variable sync_cv_;
  std::jthread reflector_thread_;
  std::jthread resync_thread_;
};

}  // namespace numalign::kube
