#include "agent/discovery/machine_discovery.h"

#include "numa/topology/hwloc_loader.h"
#include "numa/topology/sysfs_loader.h"
#include "numa/topology/topology_diff.h"

namespace numalign::agent {

DiscoveryBackends DiscoveryBackends::Real() {
  DiscoveryBackends b;
  b.hwloc_live = [](std::string* error) { return numa::LoadMachineFromLiveHwloc(error); };
  b.hwloc_xml = [](const std::string& path, std::string* error) {
    return numa::LoadMachineFromHwlocXml(path, error);
  };
  b.sysfs = [](const std::string& root, std::string* error) {
    numa::SysfsOptions options;
    options.root = root;
    return numa::LoadMachineFromSysfs(options, error);
  };
  return b;
}

DiscoveryResult DiscoverMachine(const AgentConfig& config, const DiscoveryBackends& backends) {
  DiscoveryResult r;
  if (!config.topology_xml.empty()) {
    std::string error;
    r.machine = backends.hwloc_xml(config.topology_xml, &error);
    r.source = "hwloc-xml:" + config.topology_xml;
    if (!r.machine) r.error = "--topology-xml: " + error;
    return r;
  }
  std::string hwloc_error, sysfs_error;
  std::optional<numa::Machine> hwloc;
  std::optional<numa::Machine> sysfs;
  const bool host_root = config.sysfs_root.empty() || config.sysfs_root == "/";
  // hwloc on a mounted host root reads that root, not the agent's container.
  hwloc = host_root ? backends.hwloc_live(&hwloc_error) : std::optional<numa::Machine>{};
  if (!host_root) hwloc_error = "live hwloc skipped: --sysfs-root is not /";
  sysfs = backends.sysfs(host_root ? "/" : config.sysfs_root, &sysfs_error);
  const std::string sysfs_name = "sysfs:" + (host_root ? std::string("/") : config.sysfs_root);

  switch (config.discovery) {
    case DiscoveryMode::kHwloc:
      if (!hwloc) {
        r.error = "hwloc: " + hwloc_error;
        return r;
      }
      r.machine = hwloc;
      r.source = "hwloc";
      break;
    case DiscoveryMode::kSysfs:
      if (!sysfs) {
        r.error = sysfs_name + ": " + sysfs_error;
        return r;
      }
      r.machine = sysfs;
      r.source = sysfs_name;
      break;
    case DiscoveryMode::kAuto:
      if (hwloc) {
        r.machine = hwloc;
        r.source = "hwloc";
      } else if (sysfs) {
        r.machine = sysfs;
        r.source = sysfs_name;
        r.notes.push_back("hwloc failed, fell back to sysfs: " + hwloc_error);
      } else {
        r.error = "hwloc: " + hwloc_error + "; " + sysfs_name + ": " + sysfs_error;
        return r;
      }
      break;
  }
  if (hwloc && sysfs) {
    r.disagreements = numa::CompareMachines(*hwloc, "hwloc", *sysfs, sysfs_name);
  } else if (r.source == "hwloc") {
    r.notes.push_back("cross-check skipped, " + sysfs_name + " failed: " + sysfs_error);
  }
  return r;
}

}  // namespace numalign::agent
