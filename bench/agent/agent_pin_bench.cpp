// numalign-bench-agent: the agent's own share of "bind event -> cgroup written". Each pod goes
// through PodController::OnPodUpsert exactly as an informer event would: placement, the durable
// checkpoint (atomic write + fsync in a temporary --state-dir) and the cpuset writes into a
// temporary cgroup v2 tree. The API server's watch delivery is not included (it is the API's
// latency, not the agent's). Prints p50/p99/max per pod and VmRSS after 250 pods.
//
//   numalign-bench-agent [--pods N] [--topology-xml FILE]

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agent/allocation/allocation_engine.h"
#include "agent/allocation/checkpoint_store.h"
#include "agent/allocation/node_state_hub.h"
#include "agent/cgroup/fs_cpuset_writer.h"
#include "agent/cgroup/rooted_filesystem.h"
#include "agent/health/agent_metrics.h"
#include "agent/pinning/cgroup_pinner.h"
#include "agent/pods/pod_controller.h"
#include "numa/admission/node_admitter.h"
#include "numa/memorymanager/reserved_memory.h"
#include "numa/topology/hwloc_loader.h"

namespace fs = std::filesystem;
using namespace numalign;

namespace {

class NoApi final : public agent::PodApi {
 public:
  bool PatchAnnotations(const std::string&, const std::string&, const std::string&,
                        const std::map<std::string, std::optional<std::string>>&,
                        std::string*) override {
    return true;
  }
  void RecordEvent(const std::string&, const std::string&, const std::string&, const std::string&,
                   const std::string&, const std::string&) override {}
  void RecordNodeEvent(const std::string&, const std::string&, const std::string&) override {}
};

// Records when each pod's own cgroups were first written: the end of "bind -> cgroup written".
class TimingPinner final : public agent::CgroupPinner {
 public:
  explicit TimingPinner(agent::CgroupPinner& inner) : inner_(inner) {}
  agent::PinAttempt Pin(const agent::cgroup::PodPinning& pinning) override {
    auto attempt = inner_.Pin(pinning);
    if (attempt.ok && !pinned_at.count(pinning.uid.str())) {
      pinned_at[pinning.uid.str()] = std::chrono::steady_clock::now();
    }
    return attempt;
  }
  agent::PinAttempt Reconcile(const agent::cgroup::PodPinning& pinning) override {
    return inner_.Reconcile(pinning);
  }
  std::optional<numa::PinnedRecord> ReadPinned(const agent::PodObservation& pod,
                                               const std::string& node) override {
    return inner_.ReadPinned(pod, node);
  }
  std::map<std::string, std::chrono::steady_clock::time_point> pinned_at;

 private:
  agent::CgroupPinner& inner_;
};

void Write(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

long RssKib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  int pods = 250;
  const char* shared = std::getenv("NUMALIGN_SHARED");
  std::string xml =
      std::string(shared ? shared : NUMALIGN_SHARED_DIR) + "/topologies/hwloc/epyc-corona.xml";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--pods") pods = std::atoi(argv[i + 1]);
    if (std::string(argv[i]) == "--topology-xml") xml = argv[i + 1];
  }
  std::string error;
  auto machine = numa::LoadMachineFromHwlocXml(xml, &error);
  if (!machine) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  numa::KubeletNumaConfig config;
  config.topology_manager_policy = "single-numa-node";
  config.cpu_manager_policy = "static";
  config.memory_manager_policy = "Static";
  config.reserved_system_cpus = "0";
  numa::ParseReservedMemoryFlag("0:memory=100Mi", &config.reserved_memory, &error);
  auto admitter = numa::NodeAdmitter::Create(*machine, config, &error);
  if (!admitter) {
    std::fprintf(stderr, "configuration: %s\n", error.c_str());
    return 1;
  }
  const fs::path dir =
      fs::temp_directory_path() / ("numalign-bench-agent-" + std::to_string(getpid()));
  fs::create_directories(dir / "state");
  fs::create_directories(dir / "cgroup/kubepods.slice");
  Write(dir / "cgroup/cgroup.controllers", "cpuset\n");
  for (const char* f : {"cpuset.cpus", "cpuset.mems"})
    Write(dir / "cgroup/kubepods.slice" / f, "\n");

  auto rooted = agent::cgroup::RootedFilesystem::Open((dir / "cgroup").string());
  if (!rooted) return 1;
  agent::cgroup::FsCpusetWriter writer(*rooted.value(), agent::cgroup::CgroupVersion::kV2);
  agent::FsCgroupPinner fs_pinner(*rooted.value(), writer, agent::cgroup::CgroupVersion::kV2);
  TimingPinner pinner(fs_pinner);
  agent::StateFileCheckpointStore store((dir / "state").string());
  agent::AllocationEngine engine(*admitter, {"bench-node"}, store);
  agent::NodeStateHub hub;
  agent::AgentMetrics metrics;
  NoApi api;
  agent::PodController controller(engine, pinner, api, hub, metrics, "bench-node");
  controller.Start({});

  std::vector<double> micros;        // bind event -> the pod's own cgroups written
  std::vector<double> event_micros;  // the whole event, incl. re-pinning the shared pool
  for (int i = 0; i < pods; ++i) {
    char uid[40], id[80];
    std::snprintf(uid, sizeof uid, "00000000-0000-0000-0000-%012d", i);
    std::snprintf(id, sizeof id, "%064d", i);
    std::string escaped = uid;
    std::replace(escaped.begin(), escaped.end(), '-', '_');
    const fs::path pod_dir = dir / "cgroup/kubepods.slice" / ("kubepods-pod" + escaped + ".slice");
    const fs::path container_dir = pod_dir / (std::string("cri-containerd-") + id + ".scope");
    fs::create_directories(container_dir);
    for (const auto& d : {pod_dir, container_dir}) {
      Write(d / "cpuset.cpus", "\n");
      Write(d / "cpuset.mems", "\n");
    }
    // Alternate exclusive (1 CPU) and shared-pool (fractional) pods so the shared pool changes.
    const std::string cpu = i % 2 == 0 ? "1" : "100m";
    nlohmann::json r = {{"cpu", cpu}, {"memory", "64Mi"}};
    auto spec = numa::ParsePodJson(
        {{"metadata", {{"name", "p" + std::to_string(i)}, {"namespace", "bench"}, {"uid", uid}}},
         {"spec",
          {{"containers",
            nlohmann::json::array(
                {{{"name", "app"}, {"resources", {{"requests", r}, {"limits", r}}}}})}}}},
        &error);
    agent::PodObservation pod;
    pod.spec = *spec;
    pod.creation_timestamp = "2026-01-01T00:00:00Z";
    pod.container_ids["app"] = std::string("containerd://") + id;
    const auto start = std::chrono::steady_clock::now();
    controller.OnPodUpsert(pod);
    const auto end = std::chrono::steady_clock::now();
    event_micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    if (auto it = pinner.pinned_at.find(uid); it != pinner.pinned_at.end()) {
      micros.push_back(std::chrono::duration<double, std::micro>(it->second - start).count());
    }
  }
  std::sort(micros.begin(), micros.end());
  std::sort(event_micros.begin(), event_micros.end());
  auto pct = [](const std::vector<double>& v, double p) {
    return v.empty() ? 0.0 : v[static_cast<std::size_t>(p * (v.size() - 1))] / 1000;
  };
  std::printf("pods=%d admitted=%zu machine=%s\n", pods, engine.RecordsInOrder().size(),
              xml.c_str());
  std::printf(
      "bind->cgroup written (incl. checkpoint fsync): p50=%.2f ms p99=%.2f ms max=%.2f ms\n",
      pct(micros, 0.5), pct(micros, 0.99), pct(micros, 1.0));
  std::printf("whole event (incl. re-pinning shared-pool pods): p50=%.2f ms p99=%.2f ms\n",
              pct(event_micros, 0.5), pct(event_micros, 0.99));
  std::printf("VmRSS after %d pods: %.1f MiB\n", pods, RssKib() / 1024.0);
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return 0;
}
