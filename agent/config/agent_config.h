#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "numa/admission/kubelet_config.h"

namespace numalign::agent {

enum class DiscoveryMode { kAuto, kHwloc, kSysfs };
enum class PinningMode { kAgent, kKubelet };
enum class CgroupDriverFlag { kAuto, kSystemd, kCgroupfs };

// Everything numalign-agent is configured with. NUMA settings use the kubelet's flag names and
// syntax and end up in `kubelet` (a KubeletNumaConfig), validated by NodeAdmitter::Create.
struct AgentConfig {
  std::string node_name;   // --node-name, default $NODE_NAME
  std::string kubeconfig;  // --kubeconfig (empty: $KUBECONFIG / in-cluster / ~/.kube/config)
  DiscoveryMode discovery = DiscoveryMode::kAuto;
  std::string sysfs_root = "/";     // --sysfs-root: where the host's /sys and /proc are mounted
  std::string topology_xml;         // --topology-xml: a simulated node
  std::string kubelet_config_file;  // --kubelet-config
  numa::KubeletNumaConfig kubelet;
  PinningMode pinning_mode = PinningMode::kAgent;
  // --podresources-socket: the kubelet's podresources v1 socket, read in mode `kubelet`.
  std::string podresources_socket = "/var/lib/kubelet/pod-resources/kubelet.sock";
  std::string cgroup_root = "/sys/fs/cgroup";
  CgroupDriverFlag cgroup_driver = CgroupDriverFlag::kAuto;
  std::string state_dir = "/var/lib/numalign";
  int health_port = 8081;            // --health-port: /healthz, /readyz (and /metrics)
  std::string metrics_bind_address;  // --metrics-bind-address host:port; empty = health port
  double kube_api_qps = 20;
  int kube_api_burst = 40;
  int verbosity = 0;                  // --v
  int reconcile_period_seconds = 10;  // --reconcile-period
  // --logging-format (deprecated alias --log-format): json (one object per line, what the agent
  // has always written) or text (klog).
  std::string log_format = "json";
  bool help = false;
};

// Reads files and the environment; injectable so tests need neither.
struct ConfigEnvironment {
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::function<std::optional<std::string>(const std::string& path, std::string* error)> read_file;
  static ConfigEnvironment Process();  // ::getenv and the real filesystem
};

// Parses the command line (argv[0] excluded). Accepts "--flag=value" and "--flag value".
// Precedence like the kubelet: defaults, then --kubelet-config's file, then the flags given.
// On error returns nullopt and an error naming the flag, e.g.
// "--reserved-memory: ..." with the kubelet's own message.
std::optional<AgentConfig> ParseAgentFlags(const std::vector<std::string>& args,
                                           const ConfigEnvironment& env, std::string* error);

std::string AgentUsage();

}  // namespace numalign::agent
