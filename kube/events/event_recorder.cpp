#include "kube/events/event_recorder.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "kube/clock/time_format.h"
#include "kube/objects/event.h"
#include "kube/objects/object_meta.h"
#include "kube/rest/api_error.h"

namespace numalign::kube {

namespace {

// The API limits Event messages; longer ones are cut as client-go does.
constexpr std::size_t kMaxMessage = 1024;

std::string InvolvedKey(const Json& ref) {
  return fmt::format("{}|{}|{}|{}|{}", StringAt(ref, "/apiVersion"), StringAt(ref, "/kind"),
                     StringAt(ref, "/namespace"), StringAt(ref, "/name"), StringAt(ref, "/uid"));
}

}  // namespace

ApiEventRecorder::ApiEventRecorder(std::shared_ptr<EventSink> sink, EventRecorderOptions options,
                                   std::shared_ptr<Clock> clock)
    : sink_(std::move(sink)), options_(std::move(options)), clock_(std::move(clock)) {}

bool ApiEventRecorder::Allow(const std::string& object_key) {
  // Bound the memory of per-object buckets on long-running processes: forgetting them all now
  // and then only grants forgotten objects a fresh burst.
  if (limiters_.size() >= 4 * options_.max_series && !limiters_.contains(object_key)) {
    limiters_.clear();
  }
  auto& limiter = limiters_[object_key];
  if (!limiter) {
    limiter = std::make_unique<TokenBucketRateLimiter>(options_.qps, options_.burst, clock_);
  }
  return limiter->TryAccept();
}

void ApiEventRecorder::Remember(const std::string& key, Series series) {
  series_by_age_.push_back(key);
  series.age = std::prev(series_by_age_.end());
  series_[key] = std::move(series);
  while (series_.size() > options_.max_series && !series_by_age_.empty()) {
    series_.erase(series_by_age_.front());
    series_by_age_.pop_front();
  }
}

void ApiEventRecorder::Event(const Json& object, std::string_view type, std::string_view reason,
                             std::string_view message_in) {
  try {
    const Json ref = MakeObjectReference(object);
    const std::string object_ns = StringAt(ref, "/namespace");
    // Events about cluster-scoped objects (Nodes, NRTs) live in "default", as client-go puts them.
    const std::string ns = object_ns.empty() ? "default" : object_ns;
    const std::string message(message_in.substr(0, kMaxMessage));
    const std::string object_key = InvolvedKey(ref);
    const std::string series_key =
        fmt::format("{}|{}|{}|{}|{}", object_key, type, reason, message, options_.host);
    const std::string now = FormatTime(clock_->Now());

    std::lock_guard lock(mu_);
    if (!Allow(object_key)) {
      ++dropped_;
      return;
    }
    if (auto it = series_.find(series_key); it != series_.end()) {
      Series& s = it->second;
      const Json patch = {{"count", s.count + 1}, {"lastTimestamp", now}};
      try {
        sink_->Patch(s.ns, s.name, patch);
        ++s.count;
        series_by_age_.splice(series_by_age_.end(), series_by_age_, s.age);
        return;
      } catch (const ApiError& e) {
        // The event expired (events have a TTL): start a new series below.
        if (!e.IsNotFound()) throw;
        series_by_age_.erase(s.age);
        series_.erase(it);
      }
    }
    const auto nanos =
        std::chrono::duration_cast<std::chrono::nanoseconds>(clock_->Now().time_since_epoch())
            .count();
    const std::string name = fmt::format("{}.{:x}", NameOf(object), nanos);
    Json event = {{"apiVersion", "v1"},
                  {"kind", "Event"},
                  {"metadata", {{"name", name}, {"namespace", ns}}},
                  {"involvedObject", ref},
                  {"reason", reason},
                  {"message", message},
                  {"type", type},
                  {"count", 1},
                  {"firstTimestamp", now},
                  {"lastTimestamp", now},
                  {"source", {{"component", options_.component}}},
                  {"reportingComponent", options_.component},
                  {"reportingInstance", options_.host}};
    if (!options_.host.empty()) event["source"]["host"] = options_.host;
    sink_->Create(ns, event);
    Remember(series_key, Series{ns, name, 1, {}});
  } catch (const std::exception& e) {
    std::lock_guard lock(mu_);
    ++failed_;
    spdlog::warn("event {} {} not recorded: {}", type, reason, e.what());
  }
}

std::uint64_t ApiEventRecorder::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

std::uint64_t ApiEventRecorder::failed() const {
  std::lock_guard lock(mu_);
  return failed_;
}

void FakeEventRecorder::Event(const Json& object, std::string_view type, std::string_view reason,
                              std::string_view message) {
  std::lock_guard lock(mu_);
  events_.push_back(fmt::format("{} {} {}: {}", type, reason, ObjectKey(object), message));
}

std::vector<std::string> FakeEventRecorder::events() const {
  std::lock_guard lock(mu_);
  return events_;
}

}  // namespace numalign::kube
