#include "sim/cli/sim_run.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "extender/config/decision_options.h"
#include "sim/cli/progress_printer.h"
#include "sim/cluster/cluster_loader.h"
#include "sim/placement/nrt_plugin_placement.h"
#include "sim/placement/numalign_in_process_placement.h"
#include "sim/placement/topology_blind_placement.h"
#include "sim/report/html_report.h"
#include "sim/report/result_json.h"
#include "sim/report/terminal_summary.h"
#include "sim/workload/workload_spec.h"

#ifdef NUMALIGN_SIM_WITH_PROCESS_MODE
#include "sim/process/process_placement.h"
#endif

namespace numalign::sim {
namespace {

constexpr std::size_t kPodDetailsLimit = 20000;

std::optional<LoadedCluster> LoadCluster(const SimOptions& o, std::string* error) {
  if (!o.cluster_file.empty()) return LoadClusterFile(o.cluster_file, error);
  nlohmann::json kubelet = nlohmann::json::object();
  if (!o.topology_policy.empty()) kubelet["topologyManagerPolicy"] = o.topology_policy;
  if (!o.topology_scope.empty()) kubelet["topologyManagerScope"] = o.topology_scope;
  const std::string dir = o.topology_dir.empty() ? DefaultTopologyDir() : o.topology_dir;
  return MakeFlagCluster(o.nodes, o.topologies, kubelet, dir, error);
}

std::unique_ptr<Placement> MakeNumalign(const SimOptions& o) {
  if (o.mode == "processes") {
#ifdef NUMALIGN_SIM_WITH_PROCESS_MODE
    ProcessModeOptions p;
    p.output_dir = o.output_dir;
    p.extender_weight = o.extender_weight;
    p.scoring_strategy = o.scoring_strategy;
    return MakeProcessNumalignPlacement(p);
#else
    throw std::invalid_argument(
        "--mode=processes: this numalign-sim was built without the process mode (sim/process)");
#endif
  }
  NumalignOptions n;
  n.decision.scoring_strategy = extender::parse_scoring_strategy(o.scoring_strategy);
  n.extender_weight = o.extender_weight;
  return std::make_unique<NumalignInProcessPlacement>(n);
}

}  // namespace

int RunSim(const SimOptions& o, std::FILE* out, std::FILE* err, bool terminal) {
  std::string error;
  auto cluster = LoadCluster(o, &error);
  if (!cluster) {
    std::fprintf(err, "numalign-sim: %s\n", error.c_str());
    return 2;
  }
  auto spec = o.workload_file.empty() ? PresetWorkload(o.preset, &error)
                                      : LoadWorkloadFile(o.workload_file, &error);
  if (!spec) {
    std::fprintf(err, "numalign-sim: %s\n", error.c_str());
    return 2;
  }
  const Workload workload = GenerateWorkload(*spec, o.seed, cluster->spec.nodes.size());

  std::vector<std::unique_ptr<Placement>> placements;
  try {
    for (const auto& name : o.placements) {
      if (name == "topology-blind") {
        placements.push_back(std::make_unique<TopologyBlindPlacement>());
      } else if (name == "nrt-plugin" || name == "nrt-plugin-reserve") {
        NrtPluginOptions n;
        n.exporter_period_s = o.nrt_exporter_period_s;
        n.resync_period_s = o.nrt_resync_period_s;
        n.reserve_cache = name == "nrt-plugin-reserve";
        n.scoring.strategy = *ParseNrtScoringStrategy(o.nrt_scoring_strategy);
        placements.push_back(std::make_unique<NrtPluginPlacement>(n));
      } else if (name == "numalign") {
        placements.push_back(MakeNumalign(o));
      }
    }
  } catch (const std::invalid_argument& e) {
    std::fprintf(err, "numalign-sim: %s\n", e.what());
    return 2;
  }

  std::size_t pods = 0;
  for (const auto& e : workload.events) pods += e.kind == SimEventKind::kCreatePod;
  if (!o.quiet) {
    std::fprintf(out,
                 "numalign-sim: %zu nodes, workload %s (seed %llu): %zu pods, %zu events, "
                 "%.0f s virtual time, mode %s\n",
                 cluster->spec.nodes.size(), workload.name.c_str(),
                 static_cast<unsigned long long>(workload.seed), pods, workload.events.size(),
                 workload.duration_s, o.mode.c_str());
  }
  RunSummary run;
  run.mode = o.mode;
  run.cluster = &cluster->spec;
  run.workload = &workload;
  ProgressPrinter progress(out, terminal);
  NullRunObserver silent;
  RunObserver& observer = o.quiet ? static_cast<RunObserver&>(silent) : progress;
  for (auto& placement : placements) {
    try {
      run.placements.push_back(placement->Run(cluster->spec, workload, observer));
    } catch (const std::exception& e) {
      progress.Finish();
      std::fprintf(err, "numalign-sim: placement %s failed: %s\n", placement->Name().c_str(),
                   e.what());
      return 1;
    }
  }
  progress.Finish();

  std::error_code ec;
  std::filesystem::create_directories(o.output_dir, ec);
  if (ec) {
    std::fprintf(err, "numalign-sim: cannot create %s: %s\n", o.output_dir.c_str(),
                 ec.message().c_str());
    return 1;
  }
  ResultJsonOptions json_options;
  json_options.timings = o.timings;
  json_options.pod_outcomes = o.pod_details.value_or(pods <= kPodDetailsLimit);
  const std::string json_path = o.output_dir + "/result.json";
  const std::string html_path = o.output_dir + "/report.html";
  {
    std::ofstream json_file(json_path);
    json_file << ResultJson(run, json_options).dump(1) << "\n";
    std::ofstream html_file(html_path);
    html_file << HtmlReport(run);
    if (!json_file || !html_file) {
      std::fprintf(err, "numalign-sim: writing %s failed\n", o.output_dir.c_str());
      return 1;
    }
  }
  std::fprintf(out, "\n%s\nresult: %s\nreport: %s\n", TerminalSummary(run).c_str(),
               json_path.c_str(), html_path.c_str());
  return 0;
}

}  // namespace numalign::sim
