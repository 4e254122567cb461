#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "agent/config/agent_config.h"
#include "numa/topology/machine.h"

namespace numalign::agent {

// The discovery backends, injectable so the selection logic is tested without hardware.
struct DiscoveryBackends {
  std::function<std::optional<numa::Machine>(std::string* error)> hwloc_live;
  std::function<std::optional<numa::Machine>(const std::string& path, std::string* error)>
      hwloc_xml;
  std::function<std::optional<numa::Machine>(const std::string& root, std::string* error)> sysfs;
  static DiscoveryBackends Real();  // numa/topology's hwloc and sysfs loaders
};

struct DiscoveryResult {
  std::optional<numa::Machine> machine;
  std::string source;  // "hwloc-xml:<path>", "hwloc", "sysfs:<root>"
  std::string error;   // why no machine (every backend tried, each with its error)
  // Start-up cross-check: every disagreement between the chosen backend and another one that
  // also answered, and notes such as "hwloc failed, fell back to sysfs: ...".
  std::vector<std::string> disagreements;
  std::vector<std::string> notes;
};

// --topology-xml wins (a simulated node: no cross-check against the host, which is not that
// node). Otherwise --discovery: hwloc (live; or hwloc reading --sysfs-root when it is not "/"),
// sysfs, or auto = hwloc with a fall-back to sysfs; the other backend is always tried too and
// compared (CompareMachines), so a disagreement is logged at start-up.
DiscoveryResult DiscoverMachine(const AgentConfig& config, const DiscoveryBackends& backends);

}  // namespace numalign::agent
