// numalign-agent: the node's NUMA authority (ARCHITECTURE.md data flow steps 1, 4, 5).
// Wires configuration, discovery, the allocation engine, cgroup pinning, the pod informer and
// the health endpoints; every piece is a tested library in agent/.

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
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
#include "agent/health/agent_log.h"
#include "agent/health/agent_metrics.h"
#include "agent/health/agent_servers.h"
#include "agent/pinning/cgroup_pinner.h"
#include "agent/pods/kube_pod_api.h"
#include "agent/pods/pod_controller.h"
#include "agent/pods/pod_informer.h"
#include "agent/pods/pod_worker.h"
#if NUMALIGN_AGENT_WITH_PUBLISH
#include "agent/publish/nrt_publisher.h"
#include "agent/publish/nrt_sink.h"
#endif
#if NUMALIGN_AGENT_WITH_KUBELET_MODE
#include "agent/podresources/kubelet_state_source.h"
#include "agent/podresources/podresources_client.h"
#include "numa/topologymanager/policy_options.h"
#endif
#include "common/logging/log.h"
#include "kube/config/loader.h"
#include "kube/events/event_recorder.h"
#include "kube/events/event_sink.h"
#include "kube/rest/client_factory.h"
#include "kube/rest/resource.h"

namespace numalign::agent {
namespace {

constexpr int kExitConfig = 2;
constexpr int kExitStartup = 1;

// The API client; nullptr (logged) when its configuration cannot be loaded.
std::shared_ptr<kube::ApiClient> MakeClient(const AgentConfig& config) {
  try {
    kube::ConfigSource source;
    source.kubeconfig = config.kubeconfig;
    kube::ClientOptions client_options;
    client_options.qps = config.kube_api_qps;
    client_options.burst = config.kube_api_burst;
    client_options.user_agent = kube::DefaultUserAgent("numalign-agent", "0.1.0");
    return kube::MakeApiClient(kube::LoadRestConfig(source), client_options);
  } catch (const std::exception& e) {
    logging::error(std::string("API configuration: ") + e.what());
    return nullptr;
  }
}

// The Node's uid (for owner references and events); "" when it cannot be read yet.
std::string ReadNodeUid(kube::ApiClient& client, const std::string& node_name) {
  try {
    return client.Get(kube::resources::Nodes(), "", node_name)
        .value("/metadata/uid"_json_pointer, std::string());
  } catch (const std::exception& e) {
    logging::warning(std::string("cannot read the Node (events about it lack its uid): ") +
                     e.what());
    return "";
  }
}

// Starts /healthz, /readyz (sources.ready decides) and /metrics on --health-port, or /metrics
// on --metrics-bind-address. The exit code on failure, 0 when serving.
int ServeHealth(const AgentConfig& config, std::unique_ptr<AgentServers>& servers,
                AgentEndpointSources sources) {
  std::optional<BindAddress> metrics_address;
  if (!config.metrics_bind_address.empty()) {
    std::string error;
    metrics_address = ParseMetricsBindAddress(config.metrics_bind_address, &error);
    if (!metrics_address) {
      logging::error("--metrics-bind-address: " + error);
      return kExitConfig;
    }
  }
  servers = std::make_unique<AgentServers>(config.health_port, std::move(metrics_address),
                                           std::move(sources));
  try {
    servers->StartMetrics();
  } catch (const std::exception& e) {
    logging::error(std::string("--metrics-bind-address: ") + e.what());
    return kExitConfig;
  }
  try {
    servers->StartHealth();
  } catch (const std::exception& e) {
    logging::error(std::string("--health-port: ") + e.what());
    return kExitStartup;
  }
  return 0;
}

#if NUMALIGN_AGENT_WITH_KUBELET_MODE
// Mode `kubelet`: the kubelet's CPU, Memory and Topology Managers pin; the agent writes no
// cgroup and no checkpoint. It polls the kubelet's podresources v1 API and publishes that state
// as the node's NodeResourceTopology.
int RunKubeletMode(const AgentConfig& config, numa::Machine machine, sigset_t& signals) {
  std::string error;
  auto policy_options = numa::ParseTopologyPolicyOptions(
      config.kubelet.topology_manager_policy_options, config.kubelet.feature_gates, &error);
  if (!policy_options) {
    logging::error("--topology-manager-policy-options: " + error);
    return kExitConfig;
  }
  podresources::KubeletModeConfig mode;
  mode.node_name = config.node_name;
  mode.topology_manager_policy = config.kubelet.topology_manager_policy;
  mode.topology_manager_scope = config.kubelet.topology_manager_scope;
  mode.topology_manager_max_numa_nodes = policy_options->max_allowable_numa_nodes;
  mode.cpu_manager_policy = config.kubelet.cpu_manager_policy;
  mode.memory_manager_policy = config.kubelet.memory_manager_policy;

  auto client = MakeClient(config);
  if (!client) return kExitStartup;
  const std::string node_uid = ReadNodeUid(*client, config.node_name);

  podresources::PodResourcesClientOptions client_options;
  client_options.socket_path = config.podresources_socket;
  podresources::KubeletStateSource source(
      std::make_shared<podresources::PodResourcesClient>(client_options), std::move(machine), mode);
  AgentMetrics metrics;
  std::unique_ptr<AgentServers> servers;
  // Ready once the kubelet has been read: before that nothing true can be published.
  if (int code = ServeHealth(config, servers,
                             {.ready = [&source] { return source.Generation() != 0; },
                              .not_ready_text = "waiting for the kubelet's podresources API (" +
                                                config.podresources_socket + ")\n",
                              .metrics = [&metrics] { return metrics.RenderPrometheus(); }})) {
    return code;
  }
#if NUMALIGN_AGENT_WITH_PUBLISH
  publish::NrtPublisherOptions publish_options;
  publish_options.node_uid = node_uid;
  publish::NrtPublisher publisher(source, publish::MakeApiNrtSink(client), publish_options);
  publisher.Start();
#endif
  source.Start();
  logging::info("numalign-agent running", {{"node", config.node_name},
                                           {"pinningMode", "kubelet"},
                                           {"podresourcesSocket", config.podresources_socket}});

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  logging::info("shutting down", {{"signal", std::to_string(signal_number)}});
  source.Stop();
#if NUMALIGN_AGENT_WITH_PUBLISH
  publisher.Stop();
#endif
  servers->Stop();
  return 0;
}
#endif

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
  logging::configure(config->log_format == "text" ? logging::Format::kText : logging::Format::kJson,
                     config->verbosity);
#if !NUMALIGN_AGENT_WITH_KUBELET_MODE
  if (config->pinning_mode == PinningMode::kKubelet) {
    logging::error("--pinning-mode=kubelet: this build has no podresources (gRPC) support");
    return kExitConfig;
  }
#endif

  // Block the shutdown signals before any thread starts, so only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // 1. Discovery.
  DiscoveryResult discovery = DiscoverMachine(*config, DiscoveryBackends::Real());
  for (const auto& note : discovery.notes) logging::warning(note);
  for (const auto& d : discovery.disagreements) {
    logging::warning("discovery backends disagree: " + d);
  }
  if (!discovery.machine) {
    logging::error("discovery failed: " + discovery.error);
    return kExitStartup;
  }
  logging::info("machine discovered",
                {{"source", discovery.source},
                 {"numaNodes", std::to_string(discovery.machine->numa_nodes.size())},
                 {"cpus", std::to_string(discovery.machine->cpus.size())}});

#if NUMALIGN_AGENT_WITH_KUBELET_MODE
  if (config->pinning_mode == PinningMode::kKubelet) {
    return RunKubeletMode(*config, std::move(*discovery.machine), signals);
  }
#endif

  // 2. The kubelet's start-up validation, with its messages.
  auto admitter = numa::NodeAdmitter::Create(*discovery.machine, config->kubelet, &error);
  if (!admitter) {
    logging::error("invalid configuration: " + error);
    return kExitConfig;
  }

  // 3. Cgroups (confined to --cgroup-root) and the checkpoint (in --state-dir).
  auto fs = cgroup::RootedFilesystem::Open(config->cgroup_root);
  if (!fs) {
    logging::error("--cgroup-root: " + fs.error().ToString());
    return kExitStartup;
  }
  auto version = cgroup::DetectCgroupVersion(*fs.value());
  if (!version) {
    logging::error("--cgroup-root: " + version.error().ToString());
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
  std::shared_ptr<kube::ApiClient> client = MakeClient(*config);
  if (!client) return kExitStartup;
  const std::string node_uid = ReadNodeUid(*client, config->node_name);
  kube::EventRecorderOptions event_options;
  event_options.component = "numalign-agent";
  event_options.host = config->node_name;
  auto recorder = std::make_shared<kube::ApiEventRecorder>(
      std::make_shared<kube::ApiEventSink>(client), event_options);
  KubePodApi api(client, recorder, config->node_name, node_uid);
  PodController controller(engine, pinner, api, hub, metrics, config->node_name, LogAtLevel);
  PodWorker worker(controller, std::chrono::seconds(config->reconcile_period_seconds));
  PodInformer informer(client, config->node_name, LogAtLevel);

  // 5. Health and metrics.
  std::unique_ptr<AgentServers> servers;
  if (int code = ServeHealth(*config, servers,
                             {.ready = [&] { return informer.HasSynced() && worker.Ready(); },
                              .not_ready_text = "waiting for the pod list and first pinning\n",
                              .metrics = [&metrics] { return metrics.RenderPrometheus(); }})) {
    return code;
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
  logging::info("numalign-agent running", {{"node", config->node_name}});

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  logging::info("shutting down", {{"signal", std::to_string(signal_number)}});
  informer.Stop();
  worker.Stop();
#if NUMALIGN_AGENT_WITH_PUBLISH
  publisher.Stop();
#endif
  if (auto flush_error = engine.Flush()) logging::error("final checkpoint: " + *flush_error);
  servers->Stop();
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
