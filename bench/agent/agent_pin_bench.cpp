// numalign-bench-agent: the agent's own share of "bind event -> cgroup written". Each pod goes
// through the PodController exactly as an informer event would: placement, the durable
// checkpoint (atomic write + fsync in a temporary --state-dir) and the cpuset writes into a
// temporary cgroup v2 tree. The API server's watch delivery is not included (it is the API's
// latency, not the agent's). Two runs, each on a fresh node:
//   1. one event at a time (OnPodUpsert called directly): the bind path alone, then the deferred
//      shared-pool re-pin timed on its own;
//   2. under load: the pods arrive every --interval-ms on the PodWorker's queue (the agent's
//      real thread), and the time is from enqueue to the pod's cgroups written, so it includes
//      waiting behind earlier pods and behind shared-pool re-pins.
// Prints p50/p99/max for both and VmRSS after run 1 (--pods pods on the node).
//
//   numalign-bench-agent [--pods N] [--interval-ms MS] [--topology-xml FILE]
//                        [--state-parent DIR (default $TMPDIR)] [--cgroup-parent DIR (/dev/shm)]

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agent/allocation/allocation_engine.h"
#include "agent/allocation/checkpoint_store.h"
#include "agent/allocation/node_state_hub.h"
#include "agent/cgroup/fs_cpuset_writer.h"
#include "agent/cgroup/rooted_filesystem.h"
#include "agent/health/agent_metrics.h"
#include "agent/pinning/cgroup_pinner.h"
#include "agent/pods/pod_controller.h"
#include "agent/pods/pod_worker.h"
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
    std::lock_guard lock(mu);
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
  std::mutex mu;
  std::map<std::string, std::chrono::steady_clock::time_point> pinned_at;  // guarded by mu

 private:
  agent::CgroupPinner& inner_;
};

void Write(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[static_cast<std::size_t>(p * (v.size() - 1))] / 1000;
}

long RssKib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// One node: a temporary cgroup v2 tree (systemd + containerd layout) and state directory.
class BenchNode {
 public:
  // The checkpoint goes to `state_parent` (a disk, like /var/lib); the cgroup tree to
  // `cgroup_parent` (tmpfs by default: cgroupfs is in memory, and a tree on a busy disk would
  // time the disk's journal instead of the agent).
  BenchNode(const numa::NodeAdmitter& admitter, const std::string& tag,
            const fs::path& state_parent, const fs::path& cgroup_parent)
      : dir_(state_parent / ("numalign-bench-agent-" + std::to_string(getpid()) + "-" + tag)),
        cgroup_dir_(cgroup_parent /
                    ("numalign-bench-agent-cgroup-" + std::to_string(getpid()) + "-" + tag)) {
    fs::create_directories(dir_ / "state");
    fs::create_directories(cgroup_dir_ / "kubepods.slice");
    Write(cgroup_dir_ / "cgroup.controllers", "cpuset\n");
    for (const char* f : {"cpuset.cpus", "cpuset.mems"})
      Write(cgroup_dir_ / "kubepods.slice" / f, "\n");
    rooted_ = std::move(agent::cgroup::RootedFilesystem::Open(cgroup_dir_.string()).value());
    writer_ = std::make_unique<agent::cgroup::FsCpusetWriter>(*rooted_,
                                                              agent::cgroup::CgroupVersion::kV2);
    fs_pinner_ = std::make_unique<agent::FsCgroupPinner>(*rooted_, *writer_,
                                                         agent::cgroup::CgroupVersion::kV2);
    pinner_ = std::make_unique<TimingPinner>(*fs_pinner_);
    store_ = std::make_unique<agent::StateFileCheckpointStore>((dir_ / "state").string());
    engine_ = std::make_unique<agent::AllocationEngine>(
        admitter, agent::AllocationEngine::Options{"bench-node"}, *store_);
    // Errors only (rejections of a full node are expected): a benchmark that silently pins
    // nothing would report nonsense.
    controller_ = std::make_unique<agent::PodController>(
        *engine_, *pinner_, api_, hub_, metrics_, "bench-node",
        [](const std::string& level, const std::string& message) {
          if (level == "error") {
            std::fprintf(stderr, "%s: %s\n", level.c_str(), message.c_str());
          }
        });
  }
  ~BenchNode() {
    controller_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
    fs::remove_all(cgroup_dir_, ignored);
  }

  // Pod i: its cgroups as the kubelet creates them, and the observation the informer delivers.
  // Even pods take one exclusive CPU, odd ones run on the shared pool, so the pool keeps changing.
  agent::PodObservation MakePod(int i) {
    char uid[40], id[80];
    std::snprintf(uid, sizeof uid, "00000000-0000-0000-0000-%012d", i);
    std::snprintf(id, sizeof id, "%064d", i);
    std::string escaped = uid;
    std::replace(escaped.begin(), escaped.end(), '-', '_');
    const fs::path pod_dir = cgroup_dir_ / "kubepods.slice" / ("kubepods-pod" + escaped + ".slice");
    const fs::path container_dir = pod_dir / (std::string("cri-containerd-") + id + ".scope");
    fs::create_directories(container_dir);
    for (const auto& d : {pod_dir, container_dir}) {
      Write(d / "cpuset.cpus", "\n");
      Write(d / "cpuset.mems", "\n");
    }
    const std::string cpu = i % 2 == 0 ? "1" : "100m";
    nlohmann::json r = {{"cpu", cpu}, {"memory", "64Mi"}};
    std::string error;
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
    return pod;
  }

  agent::PodController& controller() { return *controller_; }
  agent::AllocationEngine& engine() { return *engine_; }
  TimingPinner& pinner() { return *pinner_; }

 private:
  fs::path dir_;
  fs::path cgroup_dir_;
  std::unique_ptr<agent::cgroup::RootedFilesystem> rooted_;
  std::unique_ptr<agent::cgroup::FsCpusetWriter> writer_;
  std::unique_ptr<agent::FsCgroupPinner> fs_pinner_;
  std::unique_ptr<TimingPinner> pinner_;
  std::unique_ptr<agent::StateFileCheckpointStore> store_;
  std::unique_ptr<agent::AllocationEngine> engine_;
  NoApi api_;
  agent::NodeStateHub hub_;
  agent::AgentMetrics metrics_;
  std::unique_ptr<agent::PodController> controller_;
};

}  // namespace

int main(int argc, char** argv) {
  int pods = 250;
  int interval_ms = 5;
  fs::path state_parent = fs::temp_directory_path();
  fs::path cgroup_parent = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : state_parent;
  const char* shared = std::getenv("NUMALIGN_SHARED");
  std::string xml =
      std::string(shared ? shared : NUMALIGN_SHARED_DIR) + "/topologies/hwloc/epyc-corona.xml";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--pods") pods = std::atoi(argv[i + 1]);
    if (std::string(argv[i]) == "--interval-ms") interval_ms = std::atoi(argv[i + 1]);
    if (std::string(argv[i]) == "--topology-xml") xml = argv[i + 1];
    if (std::string(argv[i]) == "--state-parent") state_parent = argv[i + 1];
    if (std::string(argv[i]) == "--cgroup-parent") cgroup_parent = argv[i + 1];
  }
  std::string error;
  auto machine = numa::LoadMachineFromHwlocXml(xml, &error);
  if (!machine) {
    std::fprintf(stderr, "%s (set NUMALIGN_SHARED or pass --topology-xml)\n", error.c_str());
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
  std::printf("pods=%d machine=%s checkpoint in %s, cgroup tree in %s\n", pods, xml.c_str(),
              state_parent.c_str(), cgroup_parent.c_str());

  // Run 1: one event at a time.
  {
    BenchNode node(*admitter, "sequential", state_parent, cgroup_parent);
    node.controller().Start({});
    std::vector<double> bind_micros, event_micros, repin_micros;
    for (int i = 0; i < pods; ++i) {
      agent::PodObservation pod = node.MakePod(i);
      const auto start = Clock::now();
      node.controller().OnPodUpsert(pod);
      const auto end = Clock::now();
      event_micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
      if (auto it = node.pinner().pinned_at.find(pod.spec.uid);
          it != node.pinner().pinned_at.end()) {
        bind_micros.push_back(
            std::chrono::duration<double, std::micro>(it->second - start).count());
      }
      const auto repin_start = Clock::now();
      if (node.controller().RepinSharedPoolIfChanged()) {
        repin_micros.push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - repin_start).count());
      }
    }
    std::printf("[one at a time] admitted=%zu\n", node.engine().RecordsInOrder().size());
    std::printf(
        "[one at a time] bind->cgroup written (incl. checkpoint fsync): p50=%.2f ms p99=%.2f ms "
        "max=%.2f ms\n",
        Percentile(bind_micros, 0.5), Percentile(bind_micros, 0.99), Percentile(bind_micros, 1.0));
    std::printf("[one at a time] whole bind event: p50=%.2f ms p99=%.2f ms\n",
                Percentile(event_micros, 0.5), Percentile(event_micros, 0.99));
    std::printf(
        "[one at a time] deferred shared-pool re-pin (off the bind path, %zu runs): p50=%.2f ms "
        "p99=%.2f ms\n",
        repin_micros.size(), Percentile(repin_micros, 0.5), Percentile(repin_micros, 0.99));
    std::printf("VmRSS with %d pods on the node: %.1f MiB\n", pods, RssKib() / 1024.0);
  }

  // Run 2: under load, through the PodWorker.
  {
    BenchNode node(*admitter, "load", state_parent, cgroup_parent);
    agent::PodWorker worker(node.controller(), std::chrono::seconds(10));
    worker.Start({});
    worker.WaitIdle(std::chrono::seconds(10));
    std::map<std::string, Clock::time_point> enqueued;
    std::vector<agent::PodObservation> all;
    for (int i = 0; i < pods; ++i) all.push_back(node.MakePod(i));
    const auto begin = Clock::now();
    for (int i = 0; i < pods; ++i) {
      std::this_thread::sleep_until(begin + std::chrono::milliseconds(interval_ms) * i);
      enqueued[all[i].spec.uid] = Clock::now();
      worker.Upsert(all[i]);
    }
    worker.WaitIdle(std::chrono::seconds(120));
    worker.Stop();
    std::vector<double> micros;
    std::lock_guard lock(node.pinner().mu);
    for (const auto& [uid, at] : enqueued) {
      auto it = node.pinner().pinned_at.find(uid);
      if (it == node.pinner().pinned_at.end()) continue;
      micros.push_back(std::chrono::duration<double, std::micro>(it->second - at).count());
    }
    std::printf(
        "[under load: a pod every %d ms on the worker queue] enqueue->cgroup written: p50=%.2f ms "
        "p99=%.2f ms max=%.2f ms (%zu pinned)\n",
        interval_ms, Percentile(micros, 0.5), Percentile(micros, 0.99), Percentile(micros, 1.0),
        micros.size());
  }
  return 0;
}
