#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "kube/clock/clock.h"
#include "kube/informer/lister_watcher.h"
#include "kube/rest/backoff.h"

namespace numalign::kube {

// Receives what a Reflector learns, in order, from one thread.
class ReflectorSink {
 public:
  virtual ~ReflectorSink() = default;
  // A full list: the sink reconciles its state to exactly these items.
  virtual void Replace(std::vector<Json> items, const std::string& resource_version) = 0;
  // ADDED, MODIFIED or DELETED.
  virtual void Apply(WatchEventType type, Json object) = 0;
};

struct ReflectorOptions {
  BackoffOptions backoff{std::chrono::milliseconds(800), std::chrono::seconds(30), 2.0, 0.2};
  // Watches ask the server to end after a random time in [min, 2*min), as client-go does, so
  // many clients do not reconnect in step.
  int min_watch_timeout_seconds = 300;
  std::uint64_t seed = 0;  // 0: random
};

// client-go's Reflector: list, then watch from the list's resourceVersion. A watch that ends or
// breaks is resumed from the last resourceVersion seen (an event's or a bookmark's), so nothing
// is replayed twice; a 410 Gone (HTTP or an ERROR event) means that version has been compacted
// away, and the reflector lists again and lets the sink reconcile. Failures back off with jitter.
class Reflector {
 public:
  Reflector(std::shared_ptr<ListerWatcher> lister_watcher, ReflectorSink& sink,
            ReflectorOptions options = {}, std::shared_ptr<Clock> clock = SystemClock());

  // Runs until `stop` is requested. Never throws: every failure is logged and retried.
  void Run(std::stop_token stop);

  std::string last_resource_version() const;
  int lists() const { return lists_; }
  int watches() const { return watches_; }

 private:
  // Returns true when the next step must be a relist.
  bool WatchOnce(std::stop_token stop);
  void SetResourceVersion(const std::string& rv);

  std::shared_ptr<ListerWatcher> lister_watcher_;
  ReflectorSink& sink_;
  ReflectorOptions options_;
  std::shared_ptr<Clock> clock_;
  Backoff backoff_;
  mutable std::mutex mu_;
  std::string resource_version_;
  std::shared_ptr<WatchStream> current_watch_;
  std::atomic<int> lists_ = 0;
  std::atomic<int> watches_ = 0;
  int quiet_ends_ = 0;
};

}  // namespace numalign::kube
