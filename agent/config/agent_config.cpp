#include "agent/config/agent_config.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "numa/memorymanager/reserved_memory.h"
#include "numa/pod/quantity.h"

namespace numalign::agent {
namespace {

// Flags that take no value.
const std::set<std::string> kBoolFlags = {"help"};

const std::set<std::string> kValueFlags = {"node-name",
                                           "kubeconfig",
                                           "discovery",
                                           "sysfs-root",
                                           "topology-xml",
                                           "reserved-memory",
                                           "reserved-cpus",
                                           "system-reserved",
                                           "kube-reserved",
                                           "eviction-hard",
                                           "topology-manager-policy",
                                           "topology-manager-scope",
                                           "topology-manager-policy-options",
                                           "cpu-manager-policy",
                                           "cpu-manager-policy-options",
                                           "memory-manager-policy",
                                           "feature-gates",
                                           "kubelet-config",
                                           "pinning-mode",
                                           "podresources-socket",
                                           "cgroup-root",
                                           "cgroup-driver",
                                           "state-dir",
                                           "health-port",
                                           "metrics-bind-address",
                                           "kube-api-qps",
                                           "kube-api-burst",
                                           "v",
                                           "logging-format",
                                           "log-format",
                                           "reconcile-period"};

// "k=v,k2=v2" (the kubelet's mapStringString flags).
bool ParsePairs(const std::string& text, char separator, std::map<std::string, std::string>* out,
                std::string* error) {
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    auto eq = item.find(separator);
    if (eq == std::string::npos || eq == 0) {
      *error = "malformed pair \"" + item + "\", expected key" + separator + "value";
      return false;
    }
    (*out)[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return true;
}

bool ParseQuantities(const std::string& text, std::map<std::string, numa::Quantity>* out,
                     std::string* error) {
  std::map<std::string, std::string> pairs;
  if (!ParsePairs(text, '=', &pairs, error)) return false;
  for (const auto& [name, value] : pairs) {
    std::string why;
    auto q = numa::Quantity::Parse(value, &why);
    if (!q) {
      *error = name + ": " + why;
      return false;
    }
    (*out)[name] = *q;
  }
  return true;
}

bool ParseInt(const std::string& text, long min, long max, long* out, std::string* error) {
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || v < min || v > max) {
    *error = "\"" + text + "\" is not an integer in [" + std::to_string(min) + ", " +
             std::to_string(max) + "]";
    return false;
  }
  *out = v;
  return true;
}

}  // namespace

ConfigEnvironment ConfigEnvironment::Process() {
  ConfigEnvironment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  env.read_file = [](const std::string& path, std::string* error) -> std::optional<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      *error = "cannot open " + path;
      return std::nullopt;
    }
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  return env;
}

std::optional<AgentConfig> ParseAgentFlags(const std::vector<std::string>& args,
                                           const ConfigEnvironment& env, std::string* error) {
  // 1. Collect flags in order (repeatable ones keep every value).
  std::vector<std::pair<std::string, std::string>> given;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0 && !(arg.size() > 1 && arg[0] == '-' && arg[1] == 'v')) {
      *error = "unexpected argument \"" + arg + "\"";
      return std::nullopt;
    }
    std::string name = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "h") name = "help";
    if (kBoolFlags.count(name)) {
      given.emplace_back(name, value.value_or("true"));
      continue;
    }
    if (!kValueFlags.count(name)) {
      *error = "unknown flag: --" + name;
      return std::nullopt;
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        *error = "flag needs an argument: --" + name;
        return std::nullopt;
      }
      value = args[++i];
    }
    given.emplace_back(name, *value);
  }

  AgentConfig c;
  if (env.getenv) c.node_name = env.getenv("NODE_NAME").value_or("");
  // 2. The kubelet's configuration file, when given, under the flags.
  std::optional<std::string> cpu_policy_flag, memory_policy_flag;
  for (const auto& [name, value] : given) {
    if (name == "help") c.help = value != "false";
    if (name == "kubelet-config") c.kubelet_config_file = value;
  }
  if (c.help) return c;
  if (!c.kubelet_config_file.empty()) {
    std::string why;
    auto text = env.read_file(c.kubelet_config_file, &why);
    if (!text) {
      *error = "--kubelet-config: " + why;
      return std::nullopt;
    }
    auto parsed = numa::ParseKubeletConfigYaml(*text, &why);
    if (!parsed) {
      *error = "--kubelet-config " + c.kubelet_config_file + ": " + why;
      return std::nullopt;
    }
    c.kubelet = *parsed;
  }
  // 3. The flags, in order; a repeated --reserved-memory appends like the kubelet's.
  bool reserved_memory_flag = false;
  for (const auto& [name, value] : given) {
    std::string why;
    bool ok = true;
    long n = 0;
    if (name == "node-name") {
      c.node_name = value;
    } else if (name == "kubeconfig") {
      c.kubeconfig = value;
    } else if (name == "discovery") {
      if (value == "auto")
        c.discovery = DiscoveryMode::kAuto;
      else if (value == "hwloc")
        c.discovery = DiscoveryMode::kHwloc;
      else if (value == "sysfs")
        c.discovery = DiscoveryMode::kSysfs;
      else
        ok = (why = "must be auto, hwloc or sysfs", false);
    } else if (name == "sysfs-root") {
      c.sysfs_root = value;
    } else if (name == "topology-xml") {
      c.topology_xml = value;
    } else if (name == "reserved-memory") {
      if (!reserved_memory_flag) c.kubelet.reserved_memory.clear();  // flags replace the file's
      reserved_memory_flag = true;
      ok = numa::ParseReservedMemoryFlag(value, &c.kubelet.reserved_memory, &why);
    } else if (name == "reserved-cpus") {
      c.kubelet.reserved_system_cpus = value;
    } else if (name == "system-reserved") {
      c.kubelet.system_reserved.clear();
      ok = ParseQuantities(value, &c.kubelet.system_reserved, &why);
    } else if (name == "kube-reserved") {
      c.kubelet.kube_reserved.clear();
      ok = ParseQuantities(value, &c.kubelet.kube_reserved, &why);
    } else if (name == "eviction-hard") {
      // "memory.available<100Mi,nodefs.available<10%"
      std::map<std::string, std::string> thresholds;
      ok = ParsePairs(value, '<', &thresholds, &why);
      c.kubelet.eviction_hard = thresholds;
    } else if (name == "topology-manager-policy") {
      c.kubelet.topology_manager_policy = value;
    } else if (name == "topology-manager-scope") {
      c.kubelet.topology_manager_scope = value;
    } else if (name == "topology-manager-policy-options") {
      ok = ParsePairs(value, '=', &c.kubelet.topology_manager_policy_options, &why);
    } else if (name == "cpu-manager-policy") {
      cpu_policy_flag = value;
    } else if (name == "cpu-manager-policy-options") {
      ok = ParsePairs(value, '=', &c.kubelet.cpu_manager_policy_options, &why);
    } else if (name == "memory-manager-policy") {
      memory_policy_flag = value;
    } else if (name == "feature-gates") {
      std::map<std::string, std::string> gates;
      ok = ParsePairs(value, '=', &gates, &why);
      for (const auto& [gate, on] : gates) {
        if (on != "true" && on != "false") {
          ok = false;
          why = gate + ": must be true or false";
        }
        c.kubelet.feature_gates[gate] = on == "true";
      }
    } else if (name == "pinning-mode") {
      if (value == "agent")
        c.pinning_mode = PinningMode::kAgent;
      else if (value == "kubelet")
        c.pinning_mode = PinningMode::kKubelet;
      else
        ok = (why = "must be agent or kubelet", false);
    } else if (name == "podresources-socket") {
      c.podresources_socket = value;
    } else if (name == "cgroup-root") {
      c.cgroup_root = value;
    } else if (name == "cgroup-driver") {
      if (value == "auto")
        c.cgroup_driver = CgroupDriverFlag::kAuto;
      else if (value == "systemd")
        c.cgroup_driver = CgroupDriverFlag::kSystemd;
      else if (value == "cgroupfs")
        c.cgroup_driver = CgroupDriverFlag::kCgroupfs;
      else
        ok = (why = "must be auto, systemd or cgroupfs", false);
    } else if (name == "state-dir") {
      c.state_dir = value;
    } else if (name == "health-port") {
      ok = ParseInt(value, 0, 65535, &n, &why);
      c.health_port = static_cast<int>(n);
    } else if (name == "metrics-bind-address") {
      c.metrics_bind_address = value;
    } else if (name == "kube-api-qps") {
      char* end = nullptr;
      c.kube_api_qps = std::strtod(value.c_str(), &end);
      ok = !value.empty() && *end == '\0' && c.kube_api_qps > 0 && c.kube_api_qps <= 100000;
      if (!ok) why = "must be a positive number";
    } else if (name == "kube-api-burst") {
      ok = ParseInt(value, 1, 100000, &n, &why);
      c.kube_api_burst = static_cast<int>(n);
    } else if (name == "v") {
      ok = ParseInt(value, 0, 10, &n, &why);
      c.verbosity = static_cast<int>(n);
    } else if (name == "logging-format" || name == "log-format") {  // the latter: deprecated
      c.log_format = value;
      ok = value == "json" || value == "text";
      if (!ok) why = "must be json or text";
    } else if (name == "reconcile-period") {
      ok = ParseInt(value, 1, 86400, &n, &why);
      c.reconcile_period_seconds = static_cast<int>(n);
    }
    if (!ok) {
      *error = "--" + name + ": " + why;
      return std::nullopt;
    }
  }
  // In mode `agent` the agent is the CPU and Memory Manager (the kubelet's stay "none", so the
  // kubelet's file says "none"): their policies default to static/Static unless a flag says so.
  // In mode `kubelet` the kubelet's own policies apply.
  if (c.pinning_mode == PinningMode::kAgent) {
    c.kubelet.cpu_manager_policy = cpu_policy_flag.value_or("static");
    c.kubelet.memory_manager_policy = memory_policy_flag.value_or("Static");
  } else {
    if (cpu_policy_flag) c.kubelet.cpu_manager_policy = *cpu_policy_flag;
    if (memory_policy_flag) c.kubelet.memory_manager_policy = *memory_policy_flag;
  }
  if (c.node_name.empty()) {
    *error = "--node-name: required (or set NODE_NAME)";
    return std::nullopt;
  }
  if (c.discovery == DiscoveryMode::kHwloc && !c.topology_xml.empty()) {
    // --topology-xml is an hwloc source itself; nothing to reconcile.
  }
  return c;
}

std::string AgentUsage() {
  return R"(Usage: numalign-agent [flags]

The node's NUMA authority: allocates NUMA resources for the pods bound to this node exactly as
the kubelet would, checkpoints that state, and pins cpuset.cpus / cpuset.mems.

Node and API:
  --node-name NAME                   this node (default $NODE_NAME)
  --kubeconfig FILE                  API access (default $KUBECONFIG, in-cluster, ~/.kube/config)
  --kube-api-qps N, --kube-api-burst N   client-side rate limits (20, 40)
Discovery:
  --discovery auto|hwloc|sysfs       auto: hwloc live, sysfs when hwloc fails (default auto)
  --sysfs-root DIR                   where the host's /sys and /proc are (default /)
  --topology-xml FILE                an hwloc XML topology (simulated node)
Kubelet NUMA configuration (the kubelet's names and syntax):
  --kubelet-config FILE              take them from the kubelet's configuration file; flags win
  --topology-manager-policy none|best-effort|restricted|single-numa-node
  --topology-manager-scope container|pod
  --topology-manager-policy-options k=v,...   --cpu-manager-policy-options k=v,...
  --cpu-manager-policy static|none   --memory-manager-policy Static|None (agent mode: static/Static)
  --reserved-memory 0:memory=1Gi;1:memory=2Gi  (repeatable)
  --reserved-cpus 0-1   --system-reserved cpu=1,memory=1Gi   --kube-reserved ...
  --eviction-hard memory.available<100Mi   --feature-gates Gate=true,...
Pinning and state:
  --pinning-mode agent|kubelet       who pins (default agent); kubelet: the kubelet's managers
                                     pin, the agent only publishes what podresources reports
  --podresources-socket PATH         mode kubelet (default /var/lib/kubelet/pod-resources/kubelet.sock)
  --cgroup-root DIR                  (default /sys/fs/cgroup); nothing is written outside it
  --cgroup-driver auto|systemd|cgroupfs
  --state-dir DIR                    checkpoint directory (default /var/lib/numalign)
  --reconcile-period SECONDS         drift repair period (default 10)
Serving:
  --health-port N                    /healthz, /readyz, /metrics (default 8081)
  --metrics-bind-address HOST:PORT   serve /metrics there instead
  --v N                              log verbosity
  --logging-format json|text         one JSON object per line, or klog-style text (default json;
                                     the kubelet's flag name; --log-format is a deprecated alias)
  --help
)";
}

}  // namespace numalign::agent
