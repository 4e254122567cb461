#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "numa/topology/machine.h"
#include "sim/model/cluster_spec.h"

namespace numalign::sim {

// The directory holding the recorded hwloc XML topologies: $NUMALIGN_SHARED/topologies/hwloc,
// else the build's shared directory.
std::string DefaultTopologyDir();

// A cluster and every node's hardware (machines[i] belongs to cluster.nodes[i]).
struct LoadedCluster {
  ClusterSpec spec;
  std::vector<numa::Machine> machines;
};

// A cluster description in YAML:
//
//   topologyDir: /path/to/hwloc     # optional, default DefaultTopologyDir()
//   kubelet:                         # optional KubeletConfiguration fields for every node,
//     topologyManagerPolicy: restricted   # merged over DefaultKubeletJson()
//   nodes:
//   - name: big                      # required, unique (with count: big-0, big-1, ...)
//     topology: epyc-corona          # required: a file in topologyDir without .xml, or a path
//     count: 4                       # optional, default 1
//     labels: {rack: a}              # optional
//     kubelet: {topologyManagerScope: pod}  # optional, merged over the cluster's kubelet
//
// Every topology is loaded and every kubelet configuration completed and validated with the
// kubelet's start-up rules. Errors name the field ("nodes[2].topology: ...") and never throw.
std::optional<LoadedCluster> ParseClusterYaml(const std::string& yaml_text,
                                              const std::string& default_topology_dir,
                                              std::string* error);
std::optional<LoadedCluster> LoadClusterFile(const std::string& path, std::string* error);

// --nodes N --topologies a,b,c: node-0000.. with topologies assigned round-robin, every node
// with `kubelet_json` merged over DefaultKubeletJson().
std::optional<LoadedCluster> MakeFlagCluster(int nodes, const std::vector<std::string>& topologies,
                                             const nlohmann::json& kubelet_json,
                                             const std::string& topology_dir, std::string* error);

}  // namespace numalign::sim
