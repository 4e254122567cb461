#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "kube/rest/api_client.h"

namespace numalign::sim::process {

// What the kubelet does around numalign-agent in agent pinning mode (its own CPU, Memory and
// Topology Managers are `none`, so it never rejects a pod for NUMA reasons), on a temporary
// cgroup v2 tree laid out as the systemd driver and containerd do (agent/cgroup/cgroup_driver.h):
//  - a pod bound to the node gets its pod cgroup and one scope per container (empty cpusets,
//    i.e. inherited), then its status: Running, a containerd id per container;
//  - a pod the agent could not pin is failed with the agent's reason, as the kubelet fails a pod
//    it rejects at admission (the simulator's rule that a rejected pod releases its resources);
//  - a pod being deleted has its cgroups removed and is then deleted for good
//    (gracePeriodSeconds=0), as the kubelet does once its containers have stopped.
// Every write stays below `cgroup_root`.
class SimulatedKubelet {
 public:
  SimulatedKubelet(std::string node_name, std::filesystem::path cgroup_root,
                   std::shared_ptr<kube::ApiClient> api);

  const std::string& node_name() const { return node_name_; }
  const std::filesystem::path& cgroup_root() const { return cgroup_root_; }

  void StartPod(const nlohmann::json& bound_pod);
  void FailPod(const nlohmann::json& pod, const std::string& reason, const std::string& message);
  // Returns once the pod is gone from the API.
  void FinishDeletion(const nlohmann::json& pod);

  // The pod cgroup's directory, relative to the cgroup root.
  static std::string PodCgroupPath(const nlohmann::json& pod);

 private:
  std::string NextContainerId();
  void MakeCgroup(const std::string& relative) const;

  std::string node_name_;
  std::filesystem::path cgroup_root_;
  std::shared_ptr<kube::ApiClient> api_;
  std::uint64_t next_container_ = 0;
};

}  // namespace numalign::sim::process
