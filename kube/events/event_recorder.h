#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "kube/clock/clock.h"
#include "kube/events/event_sink.h"
#include "kube/rest/rate_limiter.h"

namespace numalign::kube {

inline constexpr char kEventTypeNormal[] = "Normal";
inline constexpr char kEventTypeWarning[] = "Warning";

// Records core/v1 Events about objects (what `kubectl describe` shows).
class EventRecorder {
 public:
  virtual ~EventRecorder() = default;
  // `object` needs kind, apiVersion and metadata (name, namespace for namespaced kinds, uid).
  // Never throws: events are best effort.
  virtual void Event(const Json& object, std::string_view type, std::string_view reason,
                     std::string_view message) = 0;
};

struct EventRecorderOptions {
  std::string component;  // source.component / reportingComponent, e.g. "numalign-agent"
  std::string host;       // source.host / reportingInstance, e.g. the node name
  // Per involved object, client-go's defaults: a burst of 25, then one event per 5 minutes.
  int burst = 25;
  double qps = 1.0 / 300.0;
  // Distinct (object, reason, message) series remembered for de-duplication.
  std::size_t max_series = 4096;
};

// Writes Events through an EventSink. A repeat of the same type/reason/message about the same
// object within the remembered series patches the existing Event (count+1, lastTimestamp)
// instead of creating a new one, as client-go's EventCorrelator does; each object has its own
// token bucket and events beyond it are dropped (and counted).
class ApiEventRecorder final : public EventRecorder {
 public:
  ApiEventRecorder(std::shared_ptr<EventSink> sink, EventRecorderOptions options,
                   std::shared_ptr<Clock> clock = SystemClock());

  void Event(const Json& object, std::string_view type, std::string_view reason,
             std::string_view message) override;

  std::uint64_t dropped() const;
  std::uint64_t failed() const;

 private:
  struct Series {
    std::string ns;
    std::string name;
    int count = 0;
    std::list<std::string>::iterator age;
  };

  bool Allow(const std::string& object_key);
  void Remember(const std::string& key, Series series);

  std::shared_ptr<EventSink> sink_;
  EventRecorderOptions options_;
  std::shared_ptr<Clock> clock_;
  mutable std::mutex mu_;
  std::map<std::string, Series> series_;
  std::list<std::string> series_by_age_;  // oldest first
  std::map<std::string, std::unique_ptr<TokenBucketRateLimiter>> limiters_;
  std::uint64_t dropped_ = 0;
  std::uint64_t failed_ = 0;
};

// Keeps events in memory, for unit tests of code that records events.
class FakeEventRecorder final : public EventRecorder {
 public:
  void Event(const Json& object, std::string_view type, std::string_view reason,
             std::string_view message) override;
  // "Warning TopologyAffinityError ns/name: message"
  std::vector<std::string> events() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> events_;
};

}  // namespace numalign::kube
