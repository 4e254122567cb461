#include "sim/cli/sim_options.h"

#include <cstdlib>
#include <map>
#include <sstream>

namespace numalign::sim {
namespace {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  std::string item;
  while (std::getline(s, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::optional<bool> ParseBool(const std::string& text) {
  if (text == "true" || text == "1" || text.empty()) return true;
  if (text == "false" || text == "0") return false;
  return std::nullopt;
}

}  // namespace

std::optional<double> ParseSeconds(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  const std::string unit(end);
  if (end == text.c_str() || v < 0) return std::nullopt;
  if (unit.empty() || unit == "s") return v;
  if (unit == "ms") return v / 1000;
  if (unit == "m") return v * 60;
  if (unit == "h") return v * 3600;
  return std::nullopt;
}

std::string SimUsage() {
  return R"(numalign-sim: the same pod workload on a simulated cluster through three placements
(topology-blind kube-scheduler, the NodeResourceTopology scheduler plugin with and without its
reserve cache, and numalign), with a terminal summary, a JSON result and an HTML report.

Usage: numalign-sim [flags]

Cluster (one of):
  --cluster=FILE                  YAML cluster description (see examples/sim/cluster.yaml)
  --nodes=N                       number of nodes (default 6) ...
  --topologies=a,b,c              ... with these hwloc topologies round-robin
                                  (default epyc-corona,memorysidecaches,g4dnmetal)
  --topology-dir=DIR              where topologies live (default $NUMALIGN_SHARED/topologies/hwloc)
  --topology-manager-policy=P     kubelet policy of --nodes clusters (default single-numa-node)
  --topology-manager-scope=S      container (default) or pod
Workload (one of):
  --workload=FILE                 YAML workload description (see examples/sim/workload.yaml)
  --preset=NAME                   small (default), mixed, large
  --seed=N                        random seed (default 1); same seed, same run
Run:
  --mode=in-process|processes     numalign in this process (default), or the real
                                  numalign-agent/-extender/-controller processes
  --placements=a,b                subset of topology-blind,nrt-plugin,nrt-plugin-reserve,numalign
  --nrt-exporter-period=10s       NRT exporters republish this often (0 = on every change)
  --nrt-resync-period=5s          the plugin's cacheResyncPeriodSeconds (reserve cache)
  --nrt-scoring-strategy=S        LeastAllocated (default), MostAllocated, BalancedAllocation,
                                  LeastNUMANodes
  --scoring-strategy=S            numalign-extender's: least-numa-nodes (default),
                                  most-allocated, least-allocated, balanced
  --extender-weight=N             the extender's weight in the scheduler (default 5)
Output:
  --output-dir=DIR                result.json and report.html go here (default numalign-sim-out)
  --omit-timings                  leave wall-clock measurements out of result.json (repeatable)
  --pod-details=true|false        per-pod outcomes in result.json (default: up to 20000 pods)
  --quiet                         no progress output
  --help                          this text
)";
}

std::optional<SimOptions> ParseSimOptions(const std::vector<std::string>& args,
                                          std::string* error) {
  SimOptions o;
  bool nodes_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (!arg.starts_with("--")) {
      *error = "unexpected argument `" + arg + "` (flags start with --; see --help)";
      return std::nullopt;
    }
    std::string name = arg.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    static const std::map<std::string, bool> boolean = {
        {"help", true}, {"quiet", true}, {"omit-timings", true}};
    if (!boolean.count(name) && !has_value) {
      if (i + 1 >= args.size()) {
        *error = "--" + name + ": needs a value";
        return std::nullopt;
      }
      value = args[++i];
    }
    auto bad = [&](const std::string& why) {
      *error = "--" + name + "=" + value + ": " + why;
      return std::nullopt;
    };
    auto flag_bool = [&](bool* out) {
      auto b = ParseBool(value);
      if (!b) return false;
      *out = *b;
      return true;
    };
    if (name == "help") {
      if (!flag_bool(&o.help)) return bad("must be true or false");
    } else if (name == "quiet") {
      if (!flag_bool(&o.quiet)) return bad("must be true or false");
    } else if (name == "omit-timings") {
      bool omit = false;
      if (!flag_bool(&omit)) return bad("must be true or false");
      o.timings = !omit;
    } else if (name == "pod-details") {
      auto b = ParseBool(value);
      if (!b) return bad("must be true or false");
      o.pod_details = *b;
    } else if (name == "cluster") {
      o.cluster_file = value;
    } else if (name == "nodes") {
      char* end = nullptr;
      const long n = std::strtol(value.c_str(), &end, 10);
      if (*end != '\0' || n < 1 || n > 100000) return bad("must be an integer from 1 to 100000");
      o.nodes = static_cast<int>(n);
      nodes_given = true;
    } else if (name == "topologies") {
      o.topologies = SplitList(value);
      if (o.topologies.empty()) return bad("name at least one topology");
    } else if (name == "topology-dir") {
      o.topology_dir = value;
    } else if (name == "topology-manager-policy") {
      if (value != "none" && value != "best-effort" && value != "restricted" &&
          value != "single-numa-node") {
        return bad("must be none, best-effort, restricted or single-numa-node");
      }
      o.topology_policy = value;
    } else if (name == "topology-manager-scope") {
      if (value != "container" && value != "pod") return bad("must be container or pod");
      o.topology_scope = value;
    } else if (name == "workload") {
      o.workload_file = value;
    } else if (name == "preset") {
      o.preset = value;
    } else if (name == "seed") {
      char* end = nullptr;
      const unsigned long long s = std::strtoull(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || value[0] == '-') {
        return bad("must be a non-negative integer");
      }
      o.seed = s;
    } else if (name == "mode") {
      if (value != "in-process" && value != "processes") {
        return bad("must be in-process or processes");
      }
      o.mode = value;
    } else if (name == "placements") {
      o.placements = SplitList(value);
      for (const auto& p : o.placements) {
        if (p != "topology-blind" && p != "nrt-plugin" && p != "nrt-plugin-reserve" &&
            p != "numalign") {
          return bad("unknown placement " + p +
                     " (topology-blind, nrt-plugin, nrt-plugin-reserve, numalign)");
        }
      }
      if (o.placements.empty()) return bad("name at least one placement");
    } else if (name == "output-dir") {
      if (value.empty()) return bad("must not be empty");
      o.output_dir = value;
    } else if (name == "nrt-exporter-period" || name == "nrt-resync-period") {
      auto s = ParseSeconds(value);
      if (!s) return bad("must be a duration such as 10s, 500ms or 1m");
      (name == "nrt-exporter-period" ? o.nrt_exporter_period_s : o.nrt_resync_period_s) = *s;
    } else if (name == "nrt-scoring-strategy") {
      if (value != "LeastAllocated" && value != "MostAllocated" && value != "BalancedAllocation" &&
          value != "LeastNUMANodes") {
        return bad("must be LeastAllocated, MostAllocated, BalancedAllocation or LeastNUMANodes");
      }
      o.nrt_scoring_strategy = value;
    } else if (name == "scoring-strategy") {
      o.scoring_strategy = value;  // validated by the extender's own parser
    } else if (name == "extender-weight") {
      char* end = nullptr;
      const long w = std::strtol(value.c_str(), &end, 10);
      if (*end != '\0' || w < 1 || w > 1000) return bad("must be an integer from 1 to 1000");
      o.extender_weight = w;
    } else {
      *error = "unknown flag --" + name + " (see --help)";
      return std::nullopt;
    }
  }
  if (!o.cluster_file.empty() && nodes_given) {
    *error = "--cluster and --nodes exclude each other";
    return std::nullopt;
  }
  return o;
}

}  // namespace numalign::sim
