#include "kube/informer/reflector.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "kube/errors.h"
#include "kube/objects/object_meta.h"
#include "kube/rest/api_error.h"

namespace numalign::kube {

namespace {

std::uint64_t SeedOr(std::uint64_t seed) {
  return seed != 0 ? seed : std::random_device{}();
}

}  // namespace

Reflector::Reflector(std::shared_ptr<ListerWatcher> lister_watcher, ReflectorSink& sink,
                     ReflectorOptions options, std::shared_ptr<Clock> clock)
    : lister_watcher_(std::move(lister_watcher)),
      sink_(sink),
      options_(options),
      clock_(std::move(clock)),
      backoff_(options.backoff, SeedOr(options.seed)) {}

std::string Reflector::last_resource_version() const {
  std::lock_guard lock(mu_);
  return resource_version_;
}

void Reflector::SetResourceVersion(const std::string& rv) {
  if (rv.empty()) return;
  std::lock_guard lock(mu_);
  resource_version_ = rv;
}

void Reflector::Run(std::stop_token stop) {
  // Unblocks a watch waiting for its next event when the owner stops us.
  std::stop_callback on_stop(stop, [this] {
    std::lock_guard lock(mu_);
    if (current_watch_) current_watch_->Stop();
  });
  bool need_list = true;
  while (!stop.stop_requested()) {
    bool failed = false;
    try {
      if (need_list) {
        ListResult list = lister_watcher_->List();
        ++lists_;
        std::vector<Json> items;
        items.reserve(list.items.size());
        for (auto& item : list.items) items.push_back(std::move(item));
        sink_.Replace(std::move(items), list.resource_version);
        SetResourceVersion(list.resource_version);
        need_list = false;
        backoff_.Reset();
      }
      need_list = WatchOnce(stop);
      if (need_list) backoff_.Reset();  // a 410 relists at once; failures of the relist back off
    } catch (const ApiError& e) {
      failed = true;
      if (e.IsGone()) need_list = true;
      spdlog::warn("reflector: {}", e.what());
    } catch (const std::exception& e) {
      failed = true;
      spdlog::warn("reflector: {}", e.what());
    }
    if (stop.stop_requested()) break;
    if (failed || quiet_ends_ >= 3) {
      quiet_ends_ = 0;
      if (!clock_->SleepFor(backoff_.Next(), stop)) break;
    }
  }
  std::lock_guard lock(mu_);
  current_watch_.reset();
}

bool Reflector::WatchOnce(std::stop_token stop) {
  std::uniform_int_distribution<int> spread(0, std::max(0, options_.min_watch_timeout_seconds - 1));
  static thread_local std::mt19937 random(std::random_device{}());
  const int timeout = options_.min_watch_timeout_seconds + spread(random);
  std::shared_ptr<WatchStream> watch = lister_watcher_->Watch(last_resource_version(), timeout);
  ++watches_;
  {
    std::lock_guard lock(mu_);
    current_watch_ = watch;
  }
  if (stop.stop_requested()) return false;
  int events = 0;
  while (auto event = watch->Next()) {
    ++events;
    switch (event->type) {
      case WatchEventType::kBookmark:
        SetResourceVersion(ResourceVersionOf(event->object));
        break;
      case WatchEventType::kError: {
        ApiError error = ApiError::FromStatusJson(event->object.dump(), 500);
        if (error.IsGone()) {
          spdlog::info("reflector: watch from {} expired ({}); relisting", last_resource_version(),
                       error.message());
          return true;
        }
        throw error;
      }
      default:
        // Advance only after the sink has the event: a crash in between replays, never skips.
        sink_.Apply(event->type, event->object);
        SetResourceVersion(ResourceVersionOf(event->object));
        break;
    }
  }
  // A clean end (timeoutSeconds reached): re-watch at once, unless the server keeps closing
  // watches without sending anything, which then counts as a failure to back off from.
  quiet_ends_ = events == 0 ? quiet_ends_ + 1 : 0;
  if (events > 0) backoff_.Reset();
  return false;
}

}  // namespace numalign::kube
