#include "sim/process/process_cluster.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "agent/allocation/checkpoint_store.h"
#include "kube/config/loader.h"
#include "kube/rest/api_error.h"
#include "kube/rest/client_factory.h"
#include "kube/rest/resource.h"
#include "numa/admission/kubelet_config.h"
#include "sim/process/kubelet_config_file.h"
#include "sim/process/local_port.h"
#include "sim/process/node_object.h"
#include "sim/process/program_locator.h"
#include "sim/process/readiness.h"
#include "sim/scheduler/resource_list.h"

namespace numalign::sim::process {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr char kUrlPrefix[] = "/numalign";

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

fs::path MakeWorkDir(const std::string& parent) {
  std::string base = parent;
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp && *tmp ? tmp : "/tmp";
  }
  std::string pattern = (fs::path(base) / "numalign-sim-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary directory in " + base);
  }
  return pattern;
}

std::string CrdManifest(const std::string& given) {
  if (!given.empty()) return given;
  return std::string(NUMALIGN_SOURCE_DIR) + "/tests/support/fixtures/noderesourcetopology-crd.yaml";
}

}  // namespace

ProcessCluster::ProcessCluster(const ClusterSpec& cluster,
                               const std::vector<numa::Machine>& machines,
                               const ProcessModeOptions& options)
    : options_(options) {
  if (machines.size() != cluster.nodes.size()) {
    throw std::invalid_argument("ProcessCluster: one machine per node expected");
  }
  work_dir_ = MakeWorkDir(options_.temp_parent);
  logs_dir_ = options_.output_dir.empty() ? work_dir_ / "logs"
                                          : fs::path(options_.output_dir) / "processes";
  try {
    fs::create_directories(logs_dir_);
    StartApiServer();
    RegisterNodes(cluster, machines);
    StartAgents(cluster);
    WaitForTopologies(cluster);
    StartExtender();
    StartController();
  } catch (...) {
    Shutdown();
    throw;
  }
}

ProcessCluster::~ProcessCluster() {
  Shutdown();
}

std::string ProcessCluster::LogPath(const std::string& program) const {
  return (logs_dir_ / (program + ".log")).string();
}

void ProcessCluster::StartApiServer() {
  // Out of process: the test API server's library and numalign's HTTP server build Beast with
  // different configurations, so they must not share one program.
  const unsigned short port = FreeLocalPort();
  kubeconfig_ = (work_dir_ / "kubeconfig.yaml").string();
  std::vector<std::string> args = {
      LocateProgram("numalign-test-apiserver", options_.apiserver_binary),
      "--bind-address=127.0.0.1", "--port=" + std::to_string(port),
      "--kubeconfig-out=" + kubeconfig_,
      // Every pod change of a long run stays watchable: informers never relist for lack of it.
      "--history=1000000"};
  apiserver_ = std::make_unique<ChildProcess>("numalign-test-apiserver", args,
                                              LogPath("numalign-test-apiserver"));
  WaitUntilReady(*apiserver_, port, "/version", options_.startup_timeout);
  // The kubeconfig is written right after the server started listening.
  for (int i = 0; !fs::exists(kubeconfig_) || fs::file_size(kubeconfig_) == 0; ++i) {
    if (i == 2000 || !apiserver_->Running()) {
      throw std::runtime_error("numalign-test-apiserver wrote no kubeconfig; its log:\n" +
                               apiserver_->LogTail());
    }
    std::this_thread::sleep_for(1ms);
  }
  kube::ConfigSource source;
  source.kubeconfig = kubeconfig_;
  kube::ClientOptions client_options;
  client_options.qps = 5000;
  client_options.burst = 10000;
  client_options.user_agent = kube::DefaultUserAgent("numalign-sim", "0.1.0");
  api_ = kube::MakeApiClient(kube::LoadRestConfig(source), client_options);

  const std::string manifest = CrdManifest(options_.crd_manifest);
  std::string error;
  auto crd = numa::YamlToJson(ReadText(manifest), &error);
  if (!crd) throw std::runtime_error(manifest + ": " + error);
  api_->Create(kube::resources::CustomResourceDefinitions(), "", *crd);
  for (int i = 0;; ++i) {
    try {
      kube::ListOptions one;
      one.limit = 1;
      api_->List(kube::resources::NodeResourceTopologies(), "", one);
      return;
    } catch (const kube::ApiError& e) {
      if (!e.IsNotFound() || i == 200) throw;
    }
    std::this_thread::sleep_for(10ms);
  }
}

void ProcessCluster::RegisterNodes(const ClusterSpec& cluster,
                                   const std::vector<numa::Machine>& machines) {
  for (std::size_t i = 0; i < cluster.nodes.size(); ++i) {
    const SimNodeSpec& node = cluster.nodes[i];
    api_->Create(kube::resources::Nodes(), "", NodeObject(node));
    api_->Patch(kube::resources::Nodes(), "", node.name, kube::PatchType::kMerge,
                {{"status", NodeStatus(machines[i], NodeAllocatable(machines[i], node.kubelet))}},
                {}, "status");
  }
}

void ProcessCluster::StartAgents(const ClusterSpec& cluster) {
  const std::string agent = LocateProgram("numalign-agent", options_.agent_binary);
  for (const SimNodeSpec& node : cluster.nodes) {
    NodeProcesses& p = nodes_[node.name];
    const fs::path dir = work_dir_ / "nodes" / node.name;
    p.state_dir = dir / "state";
    fs::create_directories(p.state_dir);
    p.kubelet = std::make_unique<SimulatedKubelet>(node.name, dir / "cgroup", api_);
    const fs::path kubelet_config = dir / "kubelet-config.yaml";
    WriteText(kubelet_config, KubeletConfigurationDocument(node.kubelet));
    p.health_port = FreeLocalPort();
    std::vector<std::string> args = {
        agent, "--node-name=" + node.name, "--kubeconfig=" + kubeconfig_,
        "--topology-xml=" + node.topology_path, "--kubelet-config=" + kubelet_config.string(),
        // In agent pinning mode the agent plays the kubelet's CPU and Memory Managers; these two
        // flags make its policies the node's configured ones rather than its static defaults.
        "--cpu-manager-policy=" + node.kubelet.cpu_manager_policy,
        "--memory-manager-policy=" + node.kubelet.memory_manager_policy, "--pinning-mode=agent",
        "--cgroup-root=" + (dir / "cgroup").string(), "--cgroup-driver=systemd",
        "--state-dir=" + p.state_dir.string(), "--health-port=" + std::to_string(p.health_port),
        "--reconcile-period=1", "--kube-api-qps=500", "--kube-api-burst=1000",
        "--v=" + std::to_string(options_.verbosity)};
    p.agent = std::make_unique<ChildProcess>("numalign-agent[" + node.name + "]", args,
                                             LogPath("numalign-agent-" + node.name));
  }
  for (auto& [name, p] : nodes_) {
    WaitUntilReady(*p.agent, p.health_port, "/readyz", options_.startup_timeout);
  }
}

void ProcessCluster::WaitForTopologies(const ClusterSpec& cluster) {
  const auto deadline = std::chrono::steady_clock::now() + options_.startup_timeout;
  for (const SimNodeSpec& node : cluster.nodes) {
    while (true) {
      try {
        auto nrt = api_->Get(kube::resources::NodeResourceTopologies(), "", node.name);
        if (nrt.contains("zones")) break;
      } catch (const kube::ApiError& e) {
        if (!e.IsNotFound()) throw;
      }
      CheckRunning();
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("numalign-agent[" + node.name +
                                 "] published no NodeResourceTopology; its log:\n" +
                                 nodes_.at(node.name).agent->LogTail());
      }
      std::this_thread::sleep_for(10ms);
    }
  }
}

void ProcessCluster::StartExtender() {
  extender_port_ = FreeLocalPort();
  std::vector<std::string> args = {LocateProgram("numalign-extender", options_.extender_binary),
                                   "--kubeconfig=" + kubeconfig_,
                                   "--bind-address=127.0.0.1",
                                   "--port=" + std::to_string(extender_port_),
                                   std::string("--url-prefix=") + kUrlPrefix,
                                   "--scoring-strategy=" + options_.scoring_strategy,
                                   "--v=" + std::to_string(options_.verbosity)};
  extender_ =
      std::make_unique<ChildProcess>("numalign-extender", args, LogPath("numalign-extender"));
  WaitUntilReady(*extender_, extender_port_, "/readyz", options_.startup_timeout);
  // A build whose extender still serves the pass-through decider would make every node
  // feasible: comparing that with the in-process numalign placement would be meaningless.
  if (extender_->LogTail(1 << 20).find("pass-through decider") != std::string::npos) {
    throw std::runtime_error(
        "numalign-extender serves the pass-through decider (no NUMA decisions); the process mode "
        "needs an extender built with the NUMA decider. Its log: " +
        extender_->log_path());
  }
}

void ProcessCluster::StartController() {
  const unsigned short health_port = FreeLocalPort();
  std::vector<std::string> args = {
      LocateProgram("numalign-controller", options_.controller_binary),
      "--kubeconfig=" + kubeconfig_, "--leader-elect=false",
      "--health-port=" + std::to_string(health_port), "--metrics-bind-address=0",
      // Recovery as soon as a pod fails: the simulator's virtual
      // time has no room for the default 30 s / 10 s waits.
      "--sync-period=100ms", "--recovery-backoff-base=1ms", "--recovery-backoff-max=1ms",
      "--defragment=dry-run", "--v=" + std::to_string(options_.verbosity)};
  controller_ =
      std::make_unique<ChildProcess>("numalign-controller", args, LogPath("numalign-controller"));
  WaitUntilReady(*controller_, health_port, "/readyz", options_.startup_timeout);
}

SimulatedKubelet& ProcessCluster::kubelet(const std::string& node) {
  return *nodes_.at(node).kubelet;
}

std::string ProcessCluster::CheckpointPath(const std::string& node) const {
  return (nodes_.at(node).state_dir / agent::StateFileCheckpointStore::kFileName).string();
}

HttpExtenderClient::Options ProcessCluster::ExtenderEndpoint() const {
  HttpExtenderClient::Options o;
  o.port = extender_port_;
  o.url_prefix = kUrlPrefix;
  o.timeout = options_.extender_timeout;
  o.weight = options_.extender_weight;
  return o;
}

void ProcessCluster::CheckRunning() {
  std::vector<ChildProcess*> all;
  for (auto& [name, p] : nodes_) all.push_back(p.agent.get());
  all.push_back(apiserver_.get());
  all.push_back(extender_.get());
  all.push_back(controller_.get());
  for (ChildProcess* process : all) {
    if (process && !process->Running()) {
      throw std::runtime_error(process->name() + " " + process->ExitDescription() + "; its log (" +
                               process->log_path() + "):\n" + process->LogTail());
    }
  }
}

void ProcessCluster::Shutdown() {
  // Stop the clients of the API server before the server.
  if (controller_) controller_->Stop();
  if (extender_) extender_->Stop();
  for (auto& [name, p] : nodes_) {
    if (p.agent) p.agent->Stop();
  }
  api_.reset();
  if (apiserver_) apiserver_->Stop();
  if (!options_.keep_work_dir && !work_dir_.empty()) {
    std::error_code ignored;
    fs::remove_all(work_dir_, ignored);
  }
}

}  // namespace numalign::sim::process
