#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "numa/admission/node_admitter.h"
#include "sim/model/cluster_spec.h"

namespace numalign::sim {

// Every simulated node's kubelet admission (numa::NodeAdmitter: Topology Manager, CPU Manager,
// Memory Manager as the v1.32 kubelet), with the pods it holds.
class KubeletFleet {
 public:
  // Throws std::runtime_error naming the node when a kubelet would refuse to start.
  KubeletFleet(const ClusterSpec& cluster, const std::vector<numa::Machine>& machines);

  // Admits the pod (spec.uid set) on the node; an admitted pod is held until Remove.
  numa::AdmitResult Admit(const std::string& node, const numa::PodSpec& pod);
  void Remove(const std::string& node, const std::string& uid);

  const numa::NodeAdmitter& admitter(const std::string& node) const;
  // Uids of the pods the node holds.
  const std::set<std::string>& pods(const std::string& node) const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::size_t Index(const std::string& node) const;

  std::vector<std::string> names_;
  std::map<std::string, std::size_t> index_;
  std::vector<numa::NodeAdmitter> admitters_;
  std::vector<std::set<std::string>> pods_;
};

}  // namespace numalign::sim
