#pragma once

#include <map>
#include <string>
#include <vector>

#include "extender/testing/scheduler_driver.h"
#include "kube/objects/object_meta.h"
#include "tests/integration/kube/kube_test_env.h"

namespace numalign::extender::integration {

// Nodes with NodeResourceTopologies (as numalign-agent in agent mode publishes them) and
// Guaranteed pods in a KubeTestEnv (the in-repo API server or KUBECONFIG's cluster). Node and
// NRT names are unique per fixture; the destructor deletes them (the pods go with the
// environment's namespace).
class NumaTestCluster {
 public:
  explicit NumaTestCluster(kube::integration::KubeTestEnv& env);
  ~NumaTestCluster();

  // A Node and its NRT: `zones` NUMA zones of `cpus` CPUs and 8Gi each, zone 0 reserving one
  // CPU and 1Gi. Returns the node's name.
  std::string AddNode(const std::string& policy, int zones = 2, int cpus = 8);
  // A Guaranteed single-container pod, as the API server returns it (uid, timestamps).
  kube::Json CreatePod(const std::string& name, const std::string& cpu, const std::string& memory);
  kube::Json GetPod(const std::string& name) const;
  std::vector<kube::Json> ListPods() const;

  const std::vector<std::string>& nodes() const { return nodes_; }
  // The nodes as the scheduler's snapshot, every one passing the in-tree filters.
  std::vector<testing::DriverNode> DriverNodes() const;
  // The NRT objects by node name, as created.
  const std::map<std::string, kube::Json>& nrts() const { return nrts_; }

 private:
  kube::integration::KubeTestEnv& env_;
  std::string prefix_;
  std::vector<std::string> nodes_;
  std::map<std::string, kube::Json> nrts_;
};

// Replays every bound pod's numalign.io/allocation on its node's zones and returns one line per
// violation: a zone whose exclusive CPUs or memory exceed the NRT's allocatable, a decision for
// another node or uid, or a container spread over several NUMA nodes (the fixtures' nodes are
// single-numa-node). Pods bound without a decision are violations too.
std::vector<std::string> FindOvercommits(const std::map<std::string, kube::Json>& nrts,
                                         const std::vector<kube::Json>& pods);

}  // namespace numalign::extender::integration
