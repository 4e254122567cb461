#pragma once

#include <map>
#include <string>
#include <vector>

#include "numa/admission/kubelet_config.h"

namespace numalign::sim {

// One simulated node: real hardware (an hwloc XML export) plus the kubelet configuration that
// decides its NUMA admission.
struct SimNodeSpec {
  std::string name;
  // The hwloc XML file as resolved when the cluster was loaded (absolute, or relative to the
  // working directory), e.g. /work/shared/topologies/hwloc/epyc-corona.xml.
  std::string topology_path;
  // The file's base name without ".xml" ("epyc-corona"); what reports show.
  std::string topology;
  numa::KubeletNumaConfig kubelet;
  std::map<std::string, std::string> labels;
};

// The simulated cluster. Node names are unique; nodes are kept in the order they were described
// (the scheduler model breaks ties by name, never by this order).
struct ClusterSpec {
  std::vector<SimNodeSpec> nodes;
};

}  // namespace numalign::sim
