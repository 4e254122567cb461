#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "agent/allocation/listener_set.h"
#include "agent/allocation/node_state_source.h"
#include "agent/podresources/kubelet_snapshot.h"
#include "agent/podresources/podresources_types.h"
#include "kube/clock/clock.h"
#include "kube/rest/backoff.h"
#include "numa/topology/machine.h"

namespace numalign::agent::podresources {

struct KubeletStateSourceOptions {
  // The kubelet rate-limits podresources (100 QPS, burst 10, shared by every client); one
  // refresh is two calls.
  std::chrono::milliseconds refresh_interval{std::chrono::seconds(1)};
  kube::BackoffOptions retry_backoff{.initial = std::chrono::milliseconds(500),
                                     .max = std::chrono::seconds(30),
                                     .factor = 2.0,
                                     .jitter = 0.2};
};

// Mode `kubelet`'s NodeStateSource: polls the kubelet's podresources API, turns the answer
// into the node's snapshot, and tells listeners (the NRT publisher) when it changed. Until the
// first successful refresh the snapshot has generation 0 ("nothing known yet"), which the
// publisher does not publish.
class KubeletStateSource final : public NodeStateSource {
 public:
  KubeletStateSource(std::shared_ptr<PodResourcesApi> api, numa::Machine machine,
                     KubeletModeConfig config, KubeletStateSourceOptions options = {},
                     std::shared_ptr<kube::Clock> clock = kube::SystemClock());
  ~KubeletStateSource() override;

  // One fetch + conversion. True when it succeeded (changed or not); on failure the previous
  // snapshot stays and last_error() says why. Never throws.
  bool Refresh();

  // Refreshes on a thread: every refresh_interval, with backoff while the kubelet fails.
  void Start();
  void Stop();

  std::string last_error() const;
  std::uint64_t failed_refreshes() const;

  NodeStateSnapshot Snapshot() const override;
  std::uint64_t Generation() const override;
  ListenerId Subscribe(Listener listener) override;
  void Unsubscribe(ListenerId id) override;

 private:
  void Loop(std::stop_token stop);

  std::shared_ptr<PodResourcesApi> api_;
  const numa::Machine machine_;
  const KubeletModeConfig config_;
  const KubeletStateSourceOptions options_;
  std::shared_ptr<kube::Clock> clock_;

  mutable std::mutex mutex_;
  NodeStateSnapshot snapshot_;
  ListenerSet listeners_;
  std::string last_error_;
  std::uint64_t failed_refreshes_ = 0;

  std::jthread thread_;
};

}  // namespace numalign::agent::podresources
