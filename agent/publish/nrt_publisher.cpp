#include "agent/publish/nrt_publisher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "kube/clock/time_format.h"

namespace numalign::agent::publish {

namespace {

// Even with nothing due the loop looks at the source's generation this often, so a change
// whose callback was lost (or happened before Start) is still published.
constexpr std::chrono::seconds kPollInterval{5};

}  // namespace

NrtPublisher::NrtPublisher(NodeStateSource& source, std::shared_ptr<NrtSink> sink,
                           NrtPublisherOptions options, std::shared_ptr<kube::Clock> clock)
    : source_(source),
      sink_(std::move(sink)),
      options_(std::move(options)),
      clock_(std::move(clock)),
      backoff_(options_.retry_backoff),
      node_uid_(options_.node_uid) {
  // A longer window would break the "republished within 1 s" promise.
  options_.coalesce_window = std::clamp(options_.coalesce_window, std::chrono::milliseconds(0),
                                        std::chrono::milliseconds(900));
}

NrtPublisher::~NrtPublisher() {
  Stop();
}

void NrtPublisher::Start() {
  if (thread_.joinable()) return;
  subscription_ = source_.Subscribe([this](std::uint64_t) { NotifyChange(clock_->Now()); });
  thread_ = std::jthread([this](std::stop_token stop) { Loop(stop); });
}

void NrtPublisher::Stop() {
  if (subscription_) {
    source_.Unsubscribe(*subscription_);
    subscription_.reset();
  }
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

void NrtPublisher::NotifyChange(kube::Clock::TimePoint now) {
  std::lock_guard lock(state_mutex_);
  if (!change_seen_at_) change_seen_at_ = now;
  WakeLocked();
}

void NrtPublisher::WakeLocked() {
  wake_.request_stop();
}

bool NrtPublisher::HeartbeatDueLocked(kube::Clock::TimePoint now) const {
  return last_write_at_ && options_.heartbeat_interval.count() > 0 &&
         now >= *last_write_at_ + options_.heartbeat_interval;
}

kube::Clock::TimePoint NrtPublisher::RunOnce(kube::Clock::TimePoint now) {
  std::lock_guard publish_lock(publish_mutex_);
  const std::uint64_t generation = source_.Generation();
  bool change_due = false;
  {
    std::lock_guard lock(state_mutex_);
    // First publish, or a change noticed by polling: it is late already, so due now.
    // Generation 0 means the source knows nothing yet (e.g. the kubelet not read yet).
    if (!change_seen_at_ && generation != 0 &&
        (!ever_attempted_ || generation != published_generation_)) {
      change_seen_at_ = now - options_.coalesce_window;
    }
    change_due = change_seen_at_ && now >= *change_seen_at_ + options_.coalesce_window;
  }
  const bool heartbeat_due = HeartbeatDueLocked(now);
  const bool retry_waiting = retry_at_ && now < *retry_at_;
  if (!retry_waiting && (change_due || heartbeat_due || retry_at_)) {
    PublishLocked(now, heartbeat_due);
  }

  {
    std::lock_guard lock(state_mutex_);
    retry_pending_ = retry_at_.has_value();
  }
  if (retry_at_) return *retry_at_;  // everything else rides on the retry
  kube::Clock::TimePoint next = now + kPollInterval;
  {
    std::lock_guard lock(state_mutex_);
    if (change_seen_at_) next = std::min(next, *change_seen_at_ + options_.coalesce_window);
  }
  if (last_write_at_ && options_.heartbeat_interval.count() > 0) {
    next = std::min(next, *last_write_at_ + options_.heartbeat_interval);
  }
  return next;
}

void NrtPublisher::PublishLocked(kube::Clock::TimePoint now, bool heartbeat_due) {
  {
    // The snapshot below is taken after this point, so it includes every change seen so far.
    std::lock_guard lock(state_mutex_);
    change_seen_at_.reset();
  }
  const NodeStateSnapshot snapshot = source_.Snapshot();
  if (snapshot.generation == 0) return;  // nothing known yet: an empty NRT would mislead
  ever_attempted_ = true;
  published_generation_ = snapshot.generation;

  auto fail = [&](const std::string& what) {
    std::lock_guard lock(state_mutex_);
    ++stats_.failures;
    stats_.last_error = what;
    retry_at_ = now + backoff_.Next();
    spdlog::warn("NodeResourceTopology {}: {} (retrying)", snapshot.node_name, what);
  };

  NrtBuildOptions build;
  build.fingerprint_method = options_.fingerprint_method;
  nlohmann::json desired;
  try {
    if (node_uid_.empty()) node_uid_ = sink_->NodeUid(snapshot.node_name);
    build.node_uid = node_uid_;
    desired = BuildNodeResourceTopology(snapshot, build);
  } catch (const NrtBuildError& e) {
    // Retrying the same snapshot cannot help; the next change (or heartbeat) tries again.
    std::lock_guard lock(state_mutex_);
    ++stats_.build_errors;
    stats_.last_error = e.what();
    retry_at_.reset();
    spdlog::error("NodeResourceTopology {}: cannot build: {}", snapshot.node_name, e.what());
    return;
  } catch (const std::exception& e) {
    fail(std::string("cannot read the Node's uid: ") + e.what());
    return;
  }

  const bool unchanged = last_written_ && *last_written_ == desired;
  if (unchanged && !heartbeat_due) {
    std::lock_guard lock(state_mutex_);
    ++stats_.skipped_unchanged;
    retry_at_.reset();
    return;
  }

  build.heartbeat = kube::FormatTime(now);
  try {
    sink_->Apply(BuildNodeResourceTopology(snapshot, build));
  } catch (const std::exception& e) {
    fail(std::string("apply failed: ") + e.what());
    return;
  }
  last_written_ = std::move(desired);
  last_write_at_ = now;
  retry_at_.reset();
  backoff_.Reset();
  std::lock_guard lock(state_mutex_);
  ++stats_.writes;
  if (unchanged) ++stats_.heartbeat_writes;
}

void NrtPublisher::Loop(std::stop_token stop) {
  // Stopping the thread also ends the current sleep.
  std::stop_callback on_stop(stop, [this] {
    std::lock_guard lock(state_mutex_);
    WakeLocked();
  });
  while (!stop.stop_requested()) {
    kube::Clock::TimePoint next;
    try {
      next = RunOnce(clock_->Now());
    } catch (const std::exception& e) {
      // Nothing above should throw; if it does, keep the agent alive and try again later.
      spdlog::error("NodeResourceTopology publisher: {}", e.what());
      next = clock_->Now() + kPollInterval;
    }
    std::stop_token wake_token;
    {
      std::lock_guard lock(state_mutex_);
      if (stop.stop_requested()) break;
      if (wake_.stop_requested()) wake_ = std::stop_source();
      wake_token = wake_.get_token();
      // A change that arrived after RunOnce computed `next` has already fired the old token.
      // (While a retry waits, changes wait for it too.)
      if (change_seen_at_ && !retry_pending_) {
        next = std::min(next, *change_seen_at_ + options_.coalesce_window);
      }
    }
    clock_->SleepUntil(next, wake_token);
  }
}

NrtPublisherStats NrtPublisher::stats() const {
  std::lock_guard lock(state_mutex_);
  return stats_;
}

}  // namespace numalign::agent::publish
