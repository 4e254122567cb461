#include "agent/pods/pod_worker.h"

namespace numalign::agent {
namespace {

// Bounds one batch so a flood of events cannot hold the first pod of the batch back for long.
constexpr std::size_t kMaxBatch = 64;

}  // namespace

PodWorker::PodWorker(PodController& controller, std::chrono::milliseconds tick)
    : controller_(controller), tick_(tick) {}

PodWorker::~PodWorker() {
  Stop();
}

void PodWorker::Upsert(PodObservation pod) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Item{std::move(pod), {}});
  }
  cv_.notify_all();
}

void PodWorker::Delete(std::string uid) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Item{std::nullopt, std::move(uid)});
  }
  cv_.notify_all();
}

void PodWorker::Start(std::vector<PodObservation> initial) {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  busy_ = true;
  thread_ =
      std::thread([this, initial = std::move(initial)]() mutable { Run(std::move(initial)); });
}

void PodWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::optional<RestoreReport> PodWorker::restore_report() const {
  std::lock_guard lock(mu_);
  return report_;
}

bool PodWorker::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [this] { return queue_.empty() && !busy_; });
}

void PodWorker::Run(std::vector<PodObservation> initial) {
  RestoreReport report = controller_.Start(initial);
  {
    std::lock_guard lock(mu_);
    report_ = std::move(report);
  }
  ready_ = true;
  auto next_tick = std::chrono::steady_clock::now() + tick_;
  std::unique_lock lock(mu_);
  while (true) {
    busy_ = false;
    cv_.notify_all();
    cv_.wait_until(lock, next_tick, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() && stopping_) return;
    busy_ = true;
    if (!queue_.empty()) {
      // Every upsert queued now goes in one batch (one checkpoint write for the burst); a
      // deletion is applied on its own, in its place in the sequence.
      std::vector<PodObservation> upserts;
      std::optional<std::string> deleted;
      while (!queue_.empty() && queue_.front().upsert && upserts.size() < kMaxBatch) {
        upserts.push_back(std::move(*queue_.front().upsert));
        queue_.pop_front();
      }
      if (upserts.empty()) {
        deleted = std::move(queue_.front().deleted_uid);
        queue_.pop_front();
      }
      lock.unlock();
      if (deleted) {
        controller_.OnPodDeleted(*deleted);
      } else {
        controller_.OnPodUpserts(upserts);
      }
      lock.lock();
      // Burst over: now the shared-pool containers follow the pool (once, not once per pod),
      // stepping aside as soon as another event is queued.
      if (queue_.empty()) {
        lock.unlock();
        controller_.RepinSharedPoolIfChanged([this] {
          std::lock_guard peek(mu_);
          return !queue_.empty() || stopping_;
        });
        lock.lock();
      }
    }
    if (std::chrono::steady_clock::now() >= next_tick) {
      lock.unlock();
      controller_.Tick();
      lock.lock();
      next_tick = std::chrono::steady_clock::now() + tick_;
    }
  }
}

}  // namespace numalign::agent
