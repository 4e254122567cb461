#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

#include "agent/allocation/node_state_source.h"
#include "agent/publish/nrt_builder.h"
#include "agent/publish/nrt_sink.h"
#include "kube/clock/clock.h"
#include "kube/rest/backoff.h"

namespace numalign::agent::publish {

struct NrtPublisherOptions {
  std::string node_uid;  // "" = ask the sink once (Node GET) before the first write
  kube::FingerprintMethod fingerprint_method = kube::FingerprintMethod::kWithExclusiveResources;
  // A change is written this long after it is first seen; changes arriving meanwhile ride
  // along in the same write. Must stay below 1 s (the republish promise).
  std::chrono::milliseconds coalesce_window{200};
  // The object is rewritten (new heartbeat attribute) at least this often, even unchanged.
  // Zero disables the heartbeat.
  std::chrono::milliseconds heartbeat_interval{std::chrono::seconds(60)};
  kube::BackoffOptions retry_backoff{};
};

struct NrtPublisherStats {
  std::uint64_t writes = 0;             // successful applies
  std::uint64_t heartbeat_writes = 0;   // of which only the heartbeat was due
  std::uint64_t skipped_unchanged = 0;  // a change was signalled but the object was the same
  std::uint64_t failures = 0;           // failed applies / Node lookups
  std::uint64_t build_errors = 0;       // snapshots that could not be turned into an NRT
  std::string last_error;
};

// Keeps the node's NodeResourceTopology in step with a NodeStateSource. Never blocks the
// source's writers: their change callback only records the time and wakes the publisher's own
// thread, which builds and writes. Unit tests drive RunOnce() with explicit times instead of
// starting the thread.
class NrtPublisher {
 public:
  NrtPublisher(NodeStateSource& source, std::shared_ptr<NrtSink> sink, NrtPublisherOptions options,
               std::shared_ptr<kube::Clock> clock = kube::SystemClock());
  ~NrtPublisher();

  NrtPublisher(const NrtPublisher&) = delete;
  NrtPublisher& operator=(const NrtPublisher&) = delete;

  // Subscribes to the source and starts the publishing thread; the first write happens at once.
  void Start();
  // Unsubscribes and joins the thread (an apply in flight finishes first).
  void Stop();

  // Records a change seen at `now` (what the source's callback does).
  void NotifyChange(kube::Clock::TimePoint now);
  // Does whatever is due at `now` (write a change, a heartbeat, a retry) and returns when it
  // next wants to run. Called by the thread; tests call it directly.
  kube::Clock::TimePoint RunOnce(kube::Clock::TimePoint now);

  NrtPublisherStats stats() const;

 private:
  void Loop(std::stop_token stop);
  void WakeLocked();
  bool HeartbeatDueLocked(kube::Clock::TimePoint now) const;
  // Builds and applies; a failed apply schedules a retry (retry_at_).
  void PublishLocked(kube::Clock::TimePoint now, bool heartbeat_due);

  NodeStateSource& source_;
  std::shared_ptr<NrtSink> sink_;
  NrtPublisherOptions options_;
  std::shared_ptr<kube::Clock> clock_;
  kube::Backoff backoff_;

  // Serializes RunOnce (the build/write path); never held by NotifyChange.
  std::mutex publish_mutex_;
  std::string node_uid_;
  std::optional<nlohmann::json> last_written_;  // comparison form (no heartbeat)
  std::optional<kube::Clock::TimePoint> last_write_at_;
  std::optional<kube::Clock::TimePoint> retry_at_;
  std::uint64_t published_generation_ = 0;
  bool ever_attempted_ = false;

  // Shared with the source's callback.
  mutable std::mutex state_mutex_;
  std::optional<kube::Clock::TimePoint> change_seen_at_;
  std::stop_source wake_;
  bool retry_pending_ = false;  // mirrors retry_at_ for the loop
  NrtPublisherStats stats_;

  std::optional<NodeStateSource::ListenerId> subscription_;
  std::jthread thread_;
};

}  // namespace numalign::agent::publish
