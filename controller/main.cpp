// numalign-controller: leader-elected cluster reconciliation for NUMA-aligned scheduling
// (NodeResourceTopology lifecycle, recovery of failed pinning, defragmentation, metrics).
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <stop_token>
#include <thread>

#include "common/logging/log.h"
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
namespace logging = numalign::logging;

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
    logging::info("Shutting down", {{"signal", std::to_string(signal)}});
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
    logging::info(
        "Leader election off; reconciling",
        {{"syncPeriod",
          std::to_string(
              std::chrono::duration_cast<std::chrono::seconds>(options.sync_period).count()) +
              "s"}});
    metrics->SetLeading(true);
    loop.Run(stop.get_token());
  } else {
    auto le = options.leader_election;
    if (le.identity.empty()) le.identity = kube::DefaultLeaderIdentity();
    kube::LeaderElector elector(
        std::make_shared<kube::ApiLeaseLock>(client, le.resource_namespace, le.resource_name), le,
        kube::LeaderCallbacks{.on_started_leading =
                                  [&](std::stop_token lead) {
                                    logging::info("Became leader", {{"identity", le.identity}});
                                    metrics->SetLeading(true);
                                    loop.Run(lead);
                                  },
                              .on_stopped_leading = [&] { metrics->SetLeading(false); },
                              .on_new_leader =
                                  [](const std::string& id) {
                                    logging::info("New leader", {{"identity", id}});
                                  }},
        clock);
    elector.Run(stop.get_token());
    if (!stop.stop_requested()) {
      // As client-go's controllers: a lost lease ends the process, a restart campaigns afresh.
      logging::error("Leadership lost; exiting");
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
  logging::configure(options.log_format == "json" ? logging::Format::kJson : logging::Format::kText,
                     options.verbosity);
  try {
    return Run(options);
  } catch (const std::exception& e) {
    logging::error("Fatal", {{"error", e.what()}});
    return 1;
  }
}
