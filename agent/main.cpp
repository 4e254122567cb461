// numalign-agent: the node's NUMA authority (ARCHITECTURE.md data flow steps 1, 4, 5).
// Wires configuration, discovery, the allocation engine, cgroup pinning, the pod informer and
// the health endpoints; every piece is a tested library in agent/.

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "agent/allocation/allocation_engine.h"
#include "agent/allocation/checkpoint_store.h"
#include "agent/allocation/node_state_hub.h"
#include "agent/cgroup/cgroup_driver.h"
#include "agent/cgroup/fs_cpuset_writer.h"
#include "agent/cgroup/rooted_filesystem.h"
#include "agent/config/agent_config.h"
#include "agent/discovery/machine_discovery.h"
#include "agent/health/agent_metrics.h"
#include "agent/health/health_server.h"
#include "agent/health/structured_log.h"
#include "agent/pinning/cgroup_pinner.h"
#include "agent/pods/kube_pod_api.h"
#include "agent/pods/pod_controller.h"
#include "agent/pods/pod_informer.h"
#include "agent/pods/pod_worker.h"
#if NUMALIGN_AGENT_WITH_PUBLISH
#include "agent/publish/nrt_publisher.h"
#include "agent/publish/nrt_sink.h"
#endif
#include "kube/config/loader.h"
#include "kube/events/event_recorder.h"
#include "kube/events/event_sink.h"
#include "kube/rest/client_factory.h"
#include "kube/rest/resource.h"

namespace numalign::agent {
namespace {

constexpr int kExitConfig = 2;
constexpr int kExitStartup = 1;

int Run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string error;
  auto config = ParseAgentFlags(args, ConfigEnvironment::Process(), &error);
  if (!config) {
    std::cerr << "numalign-agent: " << error << "\n";
    return kExitConfig;
  }
  if (config->help) {
    std::cout << AgentUsage();
    return 0;
  }
  StructuredLog log(config->verbosity);
  auto logger = [&log](const std::string& level, const std::string& message) {
    log.Write(level, message);
  };
  if (config->pinning_mode == PinningMode::kKubelet) {
    log.Write("error",
              "--pinning-mode=kubelet is served by the podresources reader, not part of "
              "this binary yet");
    return kExitConfig;
  }

  // Block the shutdown signals before any thread starts, so only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // 1. Discovery.
  DiscoveryResult discovery = DiscoverMachine(*config, DiscoveryBackends::Real());
  for (const auto& note : discovery.notes) log.Write("warning", note);
  for (const auto& d : discovery.disagreements) {
    log.Write("warning", "discovery backends disagree: " + d);
  }
  if (!discovery.machine) {
    log.Write("error", "discovery failed: " + discovery.error);
    return kExitStartup;
  }
  log.Write("info", "machine discovered",
            {{"source", discovery.source},
             {"numaNodes", std::to_string(discovery.machine->numa_nodes.size())},
             {"cpus", std::to_string(discovery.machine->cpus.size())}});

  // 2. The kubelet's start-up validation, with its messages.
  auto admitter = numa::NodeAdmitter::Create(*discovery.machine, config->kubelet, &error);
  if (!admitter) {
    log.Write("error", "invalid configuration: " + error);
    return kExitConfig;
  }

  // 3. Cgroups (confined to --cgroup-root) and the checkpoint (in --state-dir).
  auto fs = cgroup::RootedFilesystem::Open(config->cgroup_root);
  if (!fs) {
    log.Write("error", "--cgroup-root: " + fs.error().ToString());
    return kExitStartup;
  }
  auto version = cgroup::DetectCgroupVersion(*fs.value());
  if (!version) {
    log.Write("error", "--cgroup-root: " + version.error().ToString());
    return kExitStartup;
  }
  cgroup::FsCpusetWriter writer(*fs.value(), version.value());
  FsCgroupPinner pinner(*fs.value(), writer, version.value());
  StateFileCheckpointStore store(config->state_dir);

  AllocationEngine::Options options;
  options.node_name = config->node_name;
  options.cpu_manager_policy = config->kubelet.cpu_manager_policy;
  options.memory_manager_policy = config->kubelet.memory_manager_policy;
  AllocationEngine engine(std::move(*admitter), options, store);
  NodeStateHub hub;
  AgentMetrics metrics;

  // 4. The API.
  std::shared_ptr<kube::ApiClient> client;
  try {
    kube::ConfigSource source;
    source.kubeconfig = config->kubeconfig;
    kube::ClientOptions client_options;
    client_options.qps = config->kube_api_qps;
    client_options.burst = config->kube_api_burst;
    client_options.user_agent = kube::DefaultUserAgent("numalign-agent", "0.1.0");
    client = kube::MakeApiClient(kube::LoadRestConfig(source), client_options);
  } catch (const std::exception& e) {
    log.Write("error", std::string("API configuration: ") + e.what());
    return kExitStartup;
  }
  std::string node_uid;
  try {
    node_uid = client->Get(kube::resources::Nodes(), "", config->node_name)
                   .value("/metadata/uid"_json_pointer, std::string());
  } catch (const std::exception& e) {
    log.Write("warning",
              std::string("cannot read the Node (events about it lack its uid): ") + e.what());
  }
  kube::EventRecorderOptions event_options;
  event_options.component = "numalign-agent";
  event_options.host = config->node_name;
  auto recorder = std::make_shared<kube::ApiEventRecorder>(
      std::make_shared<kube::ApiEventSink>(client), event_options);
  KubePodApi api(client, recorder, config->node_name, node_uid);
  PodController controller(engine, pinner, api, hub, metrics, config->node_name, logger);
  PodWorker worker(controller, std::chrono::seconds(config->reconcile_period_seconds));
  PodInformer informer(client, config->node_name, logger);

  // 5. Health and metrics.
  HealthServer health;
  HealthServer metrics_server;
  health.Handle("/healthz", [] { return HealthServer::Response{200, "text/plain", "ok\n"}; });
  health.Handle("/readyz", [&] {
    const bool ready = informer.HasSynced() && worker.Ready();
    return HealthServer::Response{ready ? 200 : 503, "text/plain",
                                  ready ? "ok\n" : "waiting for the pod list and first pinning\n"};
  });
  auto metrics_handler = [&metrics] {
    return HealthServer::Response{200, "text/plain; version=0.0.4", metrics.RenderPrometheus()};
  };
  if (config->metrics_bind_address.empty()) {
    health.Handle("/metrics", metrics_handler);
  } else {
    const auto colon = config->metrics_bind_address.rfind(':');
    metrics_server.Handle("/metrics", metrics_handler);
    if (colon == std::string::npos ||
        !metrics_server.Start(config->metrics_bind_address.substr(0, colon),
                              std::atoi(config->metrics_bind_address.c_str() + colon + 1),
                              &error)) {
      log.Write("error", "--metrics-bind-address: " + error);
      return kExitConfig;
    }
  }
  if (!health.Start("0.0.0.0", config->health_port, &error)) {
    log.Write("error", "--health-port: " + error);
    return kExitStartup;
  }

#if NUMALIGN_AGENT_WITH_PUBLISH
  // NodeResourceTopology publication follows the engine's state through the NodeStateHub.
  publish::NrtPublisherOptions publish_options;
  publish_options.node_uid = node_uid;
  publish::NrtPublisher publisher(hub, publish::MakeApiNrtSink(client), publish_options);
  publisher.Start();
#endif

  // 6. Pods: list, restore, pin, then follow changes.
  informer.Start();
  bool synced = false;
  while (!synced) {
    synced = informer.WaitForSync(std::chrono::seconds(1));
    timespec zero{0, 0};
    if (!synced && sigtimedwait(&signals, nullptr, &zero) > 0) {
      informer.Stop();
#if NUMALIGN_AGENT_WITH_PUBLISH
      publisher.Stop();
#endif
      return 0;
    }
  }
  worker.Start(informer.CachedPods());
  informer.Connect(worker);
  log.Write("info", "numalign-agent running", {{"node", config->node_name}});

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  log.Write("info", "shutting down", {{"signal", std::to_string(signal_number)}});
  informer.Stop();
  worker.Stop();
#if NUMALIGN_AGENT_WITH_PUBLISH
  publisher.Stop();
#endif
  if (auto flush_error = engine.Flush()) log.Write("error", "final checkpoint: " + *flush_error);
  health.Stop();
  metrics_server.Stop();
  return 0;
}

}  // namespace
}  // namespace numalign::agent

int main(int argc, char** argv) {
  try {
    return numalign::agent::Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "numalign-agent: fatal: %s\n", e.what());
    return 1;
  }
}
