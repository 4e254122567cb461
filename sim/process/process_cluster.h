#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kube/rest/rest_client.h"
#include "numa/topology/machine.h"
#include "sim/model/cluster_spec.h"
#include "sim/process/child_process.h"
#include "sim/process/http_extender_client.h"
#include "sim/process/process_mode_options.h"
#include "sim/process/simulated_kubelet.h"

namespace numalign::sim::process {

// The whole numalign system for one simulated cluster, up and ready:
//  - the in-repo test API server (numalign-test-apiserver, a child process like the others) with
//  the NodeResourceTopology CRD, one Node per
//    simulated node (status from its hardware and kubelet reservations) and a kubeconfig;
//  - per node: a simulated kubelet (cgroup v2 tree in a temporary directory) and a real
//    numalign-agent (--topology-xml, --kubelet-config written from the node's configuration,
//    --cgroup-root, --state-dir), ready and its NodeResourceTopology published;
//  - numalign-extender and numalign-controller, ready.
// The constructor throws std::runtime_error (after stopping whatever it started) when a part
// does not come up; the destructor stops every program (SIGTERM, then SIGKILL) and the API
// server, and removes the temporary tree (logs stay in the output directory).
class ProcessCluster {
 public:
  ProcessCluster(const ClusterSpec& cluster, const std::vector<numa::Machine>& machines,
                 const ProcessModeOptions& options);
  ~ProcessCluster();
  ProcessCluster(const ProcessCluster&) = delete;
  ProcessCluster& operator=(const ProcessCluster&) = delete;

  std::shared_ptr<kube::RestClient> api() const { return api_; }
  SimulatedKubelet& kubelet(const std::string& node);
  // The agent's checkpoint file (numalign_agent_state) of a node.
  std::string CheckpointPath(const std::string& node) const;
  HttpExtenderClient::Options ExtenderEndpoint() const;
  const std::filesystem::path& logs_dir() const { return logs_dir_; }

  // Throws std::runtime_error naming the program, with its log's tail, when one has exited.
  void CheckRunning();

 private:
  struct NodeProcesses {
    std::unique_ptr<SimulatedKubelet> kubelet;
    std::filesystem::path state_dir;
    std::unique_ptr<ChildProcess> agent;
    unsigned short health_port = 0;
  };

  void StartApiServer();
  void RegisterNodes(const ClusterSpec& cluster, const std::vector<numa::Machine>& machines);
  void StartAgents(const ClusterSpec& cluster);
  void WaitForTopologies(const ClusterSpec& cluster);
  void StartExtender();
  void StartController();
  void Shutdown();
  std::string LogPath(const std::string& program) const;

  ProcessModeOptions options_;
  std::filesystem::path work_dir_;
  std::filesystem::path logs_dir_;
  std::string kubeconfig_;
  std::unique_ptr<ChildProcess> apiserver_;
  std::shared_ptr<kube::RestClient> api_;
  std::map<std::string, NodeProcesses> nodes_;
  std::unique_ptr<ChildProcess> extender_;
  unsigned short extender_port_ = 0;
  std::unique_ptr<ChildProcess> controller_;
};

}  // namespace numalign::sim::process
