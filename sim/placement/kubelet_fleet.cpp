#include "sim/placement/kubelet_fleet.h"

#include <stdexcept>

namespace numalign::sim {

KubeletFleet::KubeletFleet(const ClusterSpec& cluster, const std::vector<numa::Machine>& machines) {
  for (std::size_t i = 0; i < cluster.nodes.size(); ++i) {
    std::string error;
    auto admitter = numa::NodeAdmitter::Create(machines.at(i), cluster.nodes[i].kubelet, &error);
    if (!admitter) {
      throw std::runtime_error("node " + cluster.nodes[i].name +
                               ": the kubelet would not start: " + error);
    }
    index_[cluster.nodes[i].name] = names_.size();
    names_.push_back(cluster.nodes[i].name);
    admitters_.push_back(std::move(*admitter));
  }
  pods_.resize(names_.size());
}

std::size_t KubeletFleet::Index(const std::string& node) const {
  auto it = index_.find(node);
  if (it == index_.end()) throw std::runtime_error("unknown node " + node);
  return it->second;
}

numa::AdmitResult KubeletFleet::Admit(const std::string& node, const numa::PodSpec& pod) {
  const std::size_t i = Index(node);
  numa::AdmitResult result = admitters_[i].Admit(pod);
  if (result.admit) pods_[i].insert(pod.uid);
  return result;
}

void KubeletFleet::Remove(const std::string& node, const std::string& uid) {
  const std::size_t i = Index(node);
  admitters_[i].Remove(uid);
  pods_[i].erase(uid);
}

const numa::NodeAdmitter& KubeletFleet::admitter(const std::string& node) const {
  return admitters_[Index(node)];
}

const std::set<std::string>& KubeletFleet::pods(const std::string& node) const {
  return pods_[Index(node)];
}

}  // namespace numalign::sim
