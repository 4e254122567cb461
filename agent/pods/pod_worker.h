#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/pods/pod_controller.h"

namespace numalign::agent {

// Runs a PodController on one thread: informer handlers enqueue from their threads, the worker
// applies events in arrival order (deterministic) and calls Tick every `tick` period. When the
// queue runs empty it re-pins the shared pool (PodController::RepinSharedPoolIfChanged), giving
// way to any event queued meanwhile, so binds never wait for a whole re-pin pass.
class PodWorker {
 public:
  PodWorker(PodController& controller, std::chrono::milliseconds tick);
  ~PodWorker();
  PodWorker(const PodWorker&) = delete;
  PodWorker& operator=(const PodWorker&) = delete;

  // Thread-safe.
  void Upsert(PodObservation pod);
  void Delete(std::string uid);

  // Starts the thread; it first runs controller.Start(initial) (restore + first pinning pass).
  void Start(std::vector<PodObservation> initial);
  // Processes what is queued, then stops the thread. Idempotent.
  void Stop();
  // The first pinning pass is done (for /readyz).
  bool Ready() const { return ready_; }
  // Waits until the queue is empty and the worker idle (tests).
  bool WaitIdle(std::chrono::milliseconds timeout);
  std::optional<RestoreReport> restore_report() const;

 private:
  struct Item {
    std::optional<PodObservation> upsert;
    std::string deleted_uid;
  };
  void Run(std::vector<PodObservation> initial);

  PodController& controller_;
  std::chrono::milliseconds tick_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  bool busy_ = false;
  std::atomic<bool> ready_{false};
  std::optional<RestoreReport> report_;
  std::thread thread_;
};

}  // namespace numalign::agent
