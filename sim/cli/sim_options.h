#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace numalign::sim {

// numalign-sim's command line.
struct SimOptions {
  std::string cluster_file;  // --cluster
  int nodes = 6;             // --nodes
  std::vector<std::string> topologies = {"epyc-corona", "memorysidecaches", "g4dnmetal"};
  std::string topology_dir;         // --topology-dir ("" = DefaultTopologyDir())
  std::string topology_policy;      // --topology-manager-policy (flag clusters)
  std::string topology_scope;       // --topology-manager-scope (flag clusters)
  std::string workload_file;        // --workload
  std::string preset = "small";     // --preset
  std::uint64_t seed = 1;           // --seed
  std::string mode = "in-process";  // --mode
  std::vector<std::string> placements = {"topology-blind", "nrt-plugin", "nrt-plugin-reserve",
                                         "numalign"};
  std::string output_dir = "numalign-sim-out";
  double nrt_exporter_period_s = 10;
  double nrt_resync_period_s = 5;
  std::string nrt_scoring_strategy = "LeastAllocated";
  std::string scoring_strategy = "least-numa-nodes";  // numalign-extender's
  std::int64_t extender_weight = 5;
  bool timings = true;              // false: --omit-timings
  std::optional<bool> pod_details;  // --pod-details=true|false; default: up to 20000 pods
  bool quiet = false;
  bool help = false;
};

// Parses argv (kubelet-style --flag=value or --flag value). nullopt with `error` naming the flag.
std::optional<SimOptions> ParseSimOptions(const std::vector<std::string>& args, std::string* error);

std::string SimUsage();

// "10s", "1m", "1.5", "250ms" -> seconds.
std::optional<double> ParseSeconds(const std::string& text);

}  // namespace numalign::sim
