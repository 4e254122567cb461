#include "sim/process/process_placement.h"

#include <chrono>

#include "sim/cluster/cluster_machines.h"
#include "sim/placement/event_driver.h"
#include "sim/process/process_backend.h"
#include "sim/process/process_cluster.h"
#include "sim/scheduler/scheduler_nodes.h"

namespace numalign::sim {
namespace {

class ProcessNumalignPlacement final : public Placement {
 public:
  explicit ProcessNumalignPlacement(ProcessModeOptions options) : options_(std::move(options)) {}

  std::string Name() const override { return "numalign"; }

  PlacementResult Run(const ClusterSpec& cluster, const Workload& workload,
                      RunObserver& observer) override {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<numa::Machine> machines = LoadClusterMachines(cluster);
    process::ProcessCluster processes(cluster, machines, options_);
    const double startup_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    process::HttpExtenderClient extender(processes.ExtenderEndpoint());
    SchedulerModel scheduler(SchedulerNodes(cluster, machines), &extender, nullptr);
    process::ProcessBackend backend(processes, scheduler, options_.pod_timeout);
    PlacementResult result = RunEvents(Name(), cluster, machines, workload, backend, observer);
    result.description =
        "numalign as processes: numalign-extender over HTTP (" +
        std::to_string(extender.connections_opened()) +
        " connection(s)), one numalign-agent per "
        "node, numalign-controller, test API server; started in " +
        std::to_string(static_cast<int>(startup_s * 1000)) + " ms; agents used " +
        std::to_string(backend.extender_decisions_used()) + " extender decisions and decided " +
        std::to_string(backend.node_decisions()) + " placements themselves; controller recovered " +
        std::to_string(backend.controller_recoveries()) + " pods; logs in " +
        processes.logs_dir().string();
    return result;
  }

 private:
  ProcessModeOptions options_;
};

}  // namespace

std::unique_ptr<Placement> MakeProcessNumalignPlacement(const ProcessModeOptions& options) {
  return std::make_unique<ProcessNumalignPlacement>(options);
}

}  // namespace numalign::sim
