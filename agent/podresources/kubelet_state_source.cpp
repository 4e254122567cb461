#include "agent/podresources/kubelet_state_source.h"

#include <exception>

#include "common/logging/log.h"

namespace numalign::agent::podresources {

KubeletStateSource::KubeletStateSource(std::shared_ptr<PodResourcesApi> api, numa::Machine machine,
                                       KubeletModeConfig config, KubeletStateSourceOptions options,
                                       std::shared_ptr<kube::Clock> clock)
    : api_(std::move(api)),
      machine_(std::move(machine)),
      config_(std::move(config)),
      options_(options),
      clock_(std::move(clock)) {
  snapshot_.node_name = config_.node_name;
  snapshot_.pinning_mode = "kubelet";
}

KubeletStateSource::~KubeletStateSource() {
  Stop();
}

bool KubeletStateSource::Refresh() {
  NodeStateSnapshot fresh;
  try {
    const AllocatableResources allocatable = api_->GetAllocatableResources();
    const std::vector<PodAssignment> pods = api_->List();
    fresh = BuildKubeletSnapshot(machine_, config_, allocatable, pods);
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    ++failed_refreshes_;
    // Log each distinct failure once, not once per poll.
    if (last_error_ != e.what()) logging::warning(std::string("kubelet mode: ") + e.what());
    last_error_ = e.what();
    return false;
  }

  std::vector<Listener> listeners;
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    if (!last_error_.empty()) logging::info("kubelet mode: podresources readable again");
    last_error_.clear();
    fresh.generation = snapshot_.generation;
    if (snapshot_.generation != 0 && fresh == snapshot_) return true;  // nothing new
    fresh.generation = snapshot_.generation + 1;
    snapshot_ = std::move(fresh);
    generation = snapshot_.generation;
    listeners = listeners_.Copy();
  }
  ListenerSet::Notify(listeners, generation);
  return true;
}

void KubeletStateSource::Start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { Loop(stop); });
}

void KubeletStateSource::Stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

void KubeletStateSource::Loop(std::stop_token stop) {
  kube::Backoff backoff(options_.retry_backoff);
  while (!stop.stop_requested()) {
    const bool ok = Refresh();
    std::chrono::milliseconds wait = options_.refresh_interval;
    if (ok) {
      backoff.Reset();
    } else {
      wait = std::max(wait, backoff.Next());
    }
    if (!clock_->SleepFor(wait, stop)) break;
  }
}

std::string KubeletStateSource::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

std::uint64_t KubeletStateSource::failed_refreshes() const {
  std::lock_guard lock(mutex_);
  return failed_refreshes_;
}

NodeStateSnapshot KubeletStateSource::Snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

std::uint64_t KubeletStateSource::Generation() const {
  std::lock_guard lock(mutex_);
  return snapshot_.generation;
}

NodeStateSource::ListenerId KubeletStateSource::Subscribe(Listener listener) {
  std::lock_guard lock(mutex_);
  return listeners_.Add(std::move(listener));
}

void KubeletStateSource::Unsubscribe(ListenerId id) {
  std::lock_guard lock(mutex_);
  listeners_.Remove(id);
}

}  // namespace numalign::agent::podresources
