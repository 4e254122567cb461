// numalign-controller: leader-elected cluster reconciliation for NUMA-aligned scheduling
// (NodeResourceTopology lifecycle, recovery of failed pinning, defragmentation, metrics).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <stop_token>
#include <thread>

#include "controller/controller_flags.h"
#include "controller/controller_loop.h"
#include "controller/defragmentation/defragmenter.h"
#include "controller/defragmentation/informer_cluster_source.h"
#include "controller/metrics/cluster_metrics_collector.h"
#include "controller/nrt_lifecycle/nrt_reconciler.h"
#include "controller/recovery/pod_recoverer.h"
#include "controller/server/controller_servers.h"
#include "kube/events/event_recorder.h"
#include "kube/events/event_sink.h"
#include "kube/leaderelection/lease_lock.h"
#include "kube/rest/client_factory.h"

namespace nc = numalign::controller;
namespace kube = numalign::kube;

namespace {

std::string Hostname() {
  char name[256] = {};
  return gethostname(name, sizeof(name) - 1) == 0 ? std::string(name) : "unknown";
}

int Run(const nc::ControllerOptions& options) {
  // SIGTERM/SIGINT are taken by a waiting thread, which stops leading work and releases the
  // lease, instead of killing the process mid-write.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::stop_source stop;
  std::jthread signal_waiter([&signals, &stop] {
    int signal = 0;
    sigwait(&signals, &signal);
    spdlog::info("received signal {}; shutting down", signal);
    stop.request_stop();
  });
  // However Run leaves (return, exception), the waiter must wake up to be joined.
  struct WakeWaiter {
    std::stop_source& stop;
    ~WakeWaiter() {
      if (!stop.stop_requested()) kill(getpid(), SIGTERM);
    }
  } wake_waiter{stop};

  const auto config = kube::LoadRestConfig(options.config_source);
  auto client = kube::MakeApiClient(config, options.client_options);
  auto clock = kube::SystemClock();
  auto events = std::make_shared<kube::ApiEventRecorder>(
      std::make_shared<kube::ApiEventSink>(client),
      kube::EventRecorderOptions{.component = "numalign-controller", .host = Hostname()}, clock);
  auto metrics = std::make_shared<nc::ControllerMetrics>();
  // Watched from the start, also on a stand-by, so a new leader plans on a warm cache.
  auto cluster = std::make_shared<nc::InformerClusterSource>(client);
  const bool defragmenting = options.defragmentation.mode != nc::DefragmentMode::kOff;
  if (defragmenting) cluster->Start();
  nc::ControllerLoop loop(
      {std::make_shared<nc::NrtLifecycleReconciler>(client, clock, metrics, options.nrt),
       std::make_shared<nc::PodRecoverer>(client, clock, events, metrics, options.recovery),
       std::make_shared<nc::Defragmenter>(cluster, client, clock, events, metrics,
                                          options.defragmentation),
       std::make_shared<nc::ClusterMetricsCollector>(client, metrics)},
      clock, options.sync_period);

  // A pass stuck for this long means a wedged call: fail liveness so the kubelet restarts us
  // and another replica takes the lease.
  const auto stall_grace = 3 * options.sync_period + std::chrono::minutes(1);
  nc::ControllerServers servers(
      nc::HealthListener(options.health_port), nc::ParseBindAddress(options.metrics_bind_address),
      {.unhealthy_reason = [&] { return loop.StallReason(stall_grace); },
       .unready_reason = [&] { return defragmenting ? cluster->NotReadyReason() : ""; },
       .metrics = [&] { return metrics->Render(); }});
  servers.Start();
  if (!options.leader_election.leader_elect) {
    spdlog::info("leader election off: reconciling every {}s",
                 std::chrono::duration_cast<std::chrono::seconds>(options.sync_period).count());
    metrics->SetLeading(true);
    loop.Run(stop.get_token());
  } else {
    auto le = options.leader_election;
    if (le.identity.empty()) le.identity = kube::DefaultLeaderIdentity();
    kube::LeaderElector elector(
        std::make_shared<kube::ApiLeaseLock>(client, le.resource_namespace, le.resource_name), le,
        kube::LeaderCallbacks{
            .on_started_leading =
                [&](std::stop_token lead) {
                  spdlog::info("became leader as {}", le.identity);
                  metrics->SetLeading(true);
                  loop.Run(lead);
                },
            .on_stopped_leading = [&] { metrics->SetLeading(false); },
            .on_new_leader = [](const std::string& id) { spdlog::info("leader is now {}", id); }},
        clock);
    elector.Run(stop.get_token());
    if (!stop.stop_requested()) {
      // As client-go's controllers: a lost lease ends the process, a restart campaigns afresh.
      spdlog::error("leadership lost; exiting");
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  nc::ControllerOptions options;
  try {
    options = nc::ParseControllerFlags(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    std::cerr << "numalign-controller: " << e.what() << "\n(see --help)\n";
    return 2;
  }
  if (options.help) {
    std::cout << "numalign-controller: NUMA-aware cluster reconciliation\n\n" << options.help_text;
    return 0;
  }
  spdlog::set_level(options.verbosity >= 2 ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ numalign-controller %v",
                      spdlog::pattern_time_type::utc);
  try {
    return Run(options);
  } catch (const std::exception& e) {
    spdlog::error("fatal: {}", e.what());
    return 1;
  }
}
