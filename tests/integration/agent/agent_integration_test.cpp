// numalign-agent end to end. The agent runs as a child process (so kill -9 is real) with
// --topology-xml, a temporary cgroup v2 tree (systemd layout) and a temporary state directory,
// against the in-process test API server, or the cluster named by KUBECONFIG when set.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "agent/allocation/allocation_engine.h"
#include "agent/pods/pod_json.h"
#include "agent/state/posix_durable_io.h"
#include "agent/state/state_file.h"
#include "kube/config/loader.h"
#include "kube/rest/client_factory.h"
#include "kube/rest/resource.h"
#include "numa/allocation/pinned_annotation.h"
#include "numa/memorymanager/reserved_memory.h"
#include "numa/topology/cpu_list.h"
#include "numa/topology/hwloc_loader.h"
#include "tests/support/apiserver/test_api_server.h"

namespace numalign::agent {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using namespace std::chrono_literals;

std::string Random(int n) {
  static std::mt19937_64 random(std::random_device{}());
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  for (int i = 0; i < n; ++i) out += kChars[random() % 36];
  return out;
}

std::string TopologyXml() {
  const char* shared = std::getenv("NUMALIGN_SHARED");
  return (fs::path(shared ? shared : NUMALIGN_SHARED_DIR) / "topologies" / "hwloc" /
          "32em64t-2n8c2t-pci-normalio.xml")
      .string();
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::string t = s.str();
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

// A cgroup v2 tree as systemd + containerd lay it out, with empty cpusets (= inherit).
class CgroupTree {
 public:
  explicit CgroupTree(const fs::path& root) : root_(root) {
    fs::create_directories(root_ / "kubepods.slice");
    WriteText(root_ / "cgroup.controllers", "cpuset cpu memory\n");
    MakeCgroup("kubepods.slice");
  }
  void MakeCgroup(const std::string& relative) {
    fs::create_directories(root_ / relative);
    WriteText(root_ / relative / "cpuset.cpus", "\n");
    WriteText(root_ / relative / "cpuset.mems", "\n");
  }
  static std::string PodPath(std::string uid) {
    for (auto& c : uid) c = c == '-' ? '_' : c;
    return "kubepods.slice/kubepods-pod" + uid + ".slice";
  }
  static std::string ContainerPath(const std::string& uid, const std::string& id) {
    return PodPath(uid) + "/cri-containerd-" + id + ".scope";
  }
  std::string Cpus(const std::string& relative) const {
    return ReadText(root_ / relative / "cpuset.cpus");
  }
  std::string Mems(const std::string& relative) const {
    return ReadText(root_ / relative / "cpuset.mems");
  }

 private:
  fs::path root_;
};

class AgentIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(TopologyXml()))
        << "shared topology missing: " << TopologyXml() << " (set NUMALIGN_SHARED)";
    dir_ = fs::temp_directory_path() / ("numalign-agent-it-" + Random(8));
    fs::create_directories(dir_ / "cgroup");
    fs::create_directories(dir_ / "state");
    tree_ = std::make_unique<CgroupTree>(dir_ / "cgroup");
    kube::ConfigSource source;
    if (const char* kubeconfig = std::getenv("KUBECONFIG"); kubeconfig && *kubeconfig) {
      kubeconfig_ = kubeconfig;
    } else {
      server_ = test_apiserver::TestApiServer::Start({});
      kubeconfig_ = (dir_ / "kubeconfig.yaml").string();
      server_->WriteKubeconfig(kubeconfig_);
    }
    source.kubeconfig = kubeconfig_;
    kube::ClientOptions options;
    options.qps = 200;
    options.burst = 400;
    client_ = kube::MakeApiClient(kube::LoadRestConfig(source), options);
    ns_ = "numalign-agent-it-" + Random(6);
    node_ = "numalign-it-node-" + Random(6);
    client_->Create(kube::resources::Namespaces(), "",
                    {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns_}}}});
    client_->Create(kube::resources::Nodes(), "",
                    {{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", node_}}}});
  }

  void TearDown() override {
    StopAgent(SIGKILL);
    try {
      client_->Delete(kube::resources::Nodes(), "", node_);
      client_->Delete(kube::resources::Namespaces(), "", ns_);
    } catch (const std::exception&) {
    }
    if (server_) server_->Stop();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void StartAgent() {
    agent_ = ::fork();
    ASSERT_GE(agent_, 0);
    if (agent_ == 0) {
      const std::string log = (dir_ / "agent.log").string();
      FILE* out = std::freopen(log.c_str(), "a", stderr);
      (void)out;
      std::vector<std::string> args = {NUMALIGN_AGENT_BINARY,
                                       "--node-name=" + node_,
                                       "--kubeconfig=" + kubeconfig_,
                                       "--topology-xml=" + TopologyXml(),
                                       "--cgroup-root=" + (dir_ / "cgroup").string(),
                                       "--state-dir=" + (dir_ / "state").string(),
                                       "--health-port=0",
                                       "--reserved-memory=0:memory=100Mi",
                                       "--reserved-cpus=0",
                                       "--topology-manager-policy=single-numa-node",
                                       "--reconcile-period=1"};
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      std::_Exit(127);
    }
  }

  void StopAgent(int signal_number) {
    if (agent_ <= 0) return;
    ::kill(agent_, signal_number);
    int status = 0;
    ::waitpid(agent_, &status, 0);
    agent_ = -1;
  }

  // Creates a Guaranteed pod bound to the node, its cgroups, and its container status.
  std::string CreatePod(const std::string& name, const std::string& cpu, const std::string& mem) {
    Json r = {{"cpu", cpu}, {"memory", mem}};
    Json pod = client_->Create(
        kube::resources::Pods(), ns_,
        {{"apiVersion", "v1"},
         {"kind", "Pod"},
         {"metadata", {{"name", name}}},
         {"spec",
          {{"nodeName", node_},
           {"containers", Json::array({{{"name", "app"},
                                        {"image", "busybox"},
                                        {"resources", {{"requests", r}, {"limits", r}}}}})}}}});
    const std::string uid = pod["metadata"]["uid"];
    std::string id;
    for (int i = 0; i < 64; ++i) id += "0123456789abcdef"[std::random_device{}() % 16];
    tree_->MakeCgroup(CgroupTree::PodPath(uid));
    tree_->MakeCgroup(CgroupTree::ContainerPath(uid, id));
    client_->Patch(kube::resources::Pods(), ns_, name, kube::PatchType::kMerge,
                   {{"status",
                     {{"phase", "Running"},
                      {"containerStatuses", Json::array({{{"name", "app"},
                                                          {"containerID", "containerd://" + id},
                                                          {"ready", true},
                                                          {"restartCount", 0},
                                                          {"image", "busybox"},
                                                          {"imageID", ""}}})}}}},
                   {}, "status");
    container_ids_[uid] = id;
    return uid;
  }

  // Waits until every named pod carries numalign.io/pinned.
  std::map<std::string, numa::PinnedRecord> WaitPinned(const std::vector<std::string>& names,
                                                       std::chrono::seconds timeout = 60s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::map<std::string, numa::PinnedRecord> out;
    while (std::chrono::steady_clock::now() < deadline) {
      out.clear();
      for (const auto& name : names) {
        Json pod = client_->Get(kube::resources::Pods(), ns_, name);
        auto value =
            pod.value("/metadata/annotations/numalign.io~1pinned"_json_pointer, std::string());
        std::string error;
        auto record = numa::ParsePinnedRecord(value, &error);
        if (record) out[name] = *record;
      }
      if (out.size() == names.size()) return out;
      std::this_thread::sleep_for(200ms);
    }
    ADD_FAILURE() << "only " << out.size() << " of " << names.size() << " pods pinned; agent log:\n"
                  << ReadText(dir_ / "agent.log");
    return out;
  }

  fs::path dir_;
  std::unique_ptr<CgroupTree> tree_;
  std::unique_ptr<test_apiserver::TestApiServer> server_;
  std::string kubeconfig_;
  std::shared_ptr<kube::RestClient> client_;
  std::string ns_;
  std::string node_;
  pid_t agent_ = -1;
  std::map<std::string, std::string> container_ids_;
};

TEST_F(AgentIntegration, PinsPodsWritesCgroupsAndAnnotates) {
  StartAgent();
  std::vector<std::string> names = {"a", "b", "c"};
  std::map<std::string, std::string> uids;
  for (const auto& n : names) uids[n] = CreatePod(n, "2", "1Gi");
  auto pinned = WaitPinned(names);
  ASSERT_EQ(pinned.size(), 3U);
  std::set<int> taken;
  for (const auto& n : names) {
    const auto& record = pinned[n];
    const auto* app = record.Find("app");
    ASSERT_NE(app, nullptr);
    EXPECT_TRUE(app->exclusive);
    EXPECT_EQ(app->sets.cpus.size(), 2U);
    for (int cpu : app->sets.cpus)
      EXPECT_TRUE(taken.insert(cpu).second) << "CPU " << cpu << " twice";
    EXPECT_EQ(app->sets.mems.size(), 1U);
    const std::string container = CgroupTree::ContainerPath(uids[n], container_ids_[uids[n]]);
    EXPECT_EQ(tree_->Cpus(container), numa::FormatCpuList(app->sets.cpus));
    EXPECT_EQ(tree_->Mems(container), numa::FormatCpuList(app->sets.mems));
    EXPECT_EQ(tree_->Cpus(CgroupTree::PodPath(uids[n])), numa::FormatCpuList(record.pod.cpus));
  }
  // Drift is repaired by the reconcile loop.
  const std::string container = CgroupTree::ContainerPath(uids["a"], container_ids_[uids["a"]]);
  WriteText(dir_ / "cgroup" / container / "cpuset.cpus", "0-31\n");
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (tree_->Cpus(container) != numa::FormatCpuList(pinned["a"].Find("app")->sets.cpus) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(tree_->Cpus(container), numa::FormatCpuList(pinned["a"].Find("app")->sets.cpus));
  StopAgent(SIGTERM);
}

// kill -9 at random moments during a burst, restart, and compare the final state with the state
// computed from scratch by placing the same pods in the recorded admission order.
TEST_F(AgentIntegration, CrashAtRandomPointsNeverDoubleAllocatesOrDrops) {
  std::mt19937 random(std::random_device{}());
  std::vector<std::string> names;
  StartAgent();
  for (int i = 0; i < 12; ++i) {
    names.push_back("p" + std::to_string(i));
    CreatePod(names.back(), "2", "1Gi");
    if (i == 3 || i == 8) {
      std::this_thread::sleep_for(std::chrono::milliseconds(random() % 400));
      StopAgent(SIGKILL);
      StartAgent();
    }
  }
  auto pinned = WaitPinned(names, 90s);
  ASSERT_EQ(pinned.size(), names.size());
  StopAgent(SIGTERM);

  state::PosixDurableIo io;
  state::StateFile file((dir_ / "state" / StateFileCheckpointStore::kFileName).string(), io);
  auto document = file.Load();
  ASSERT_TRUE(document) << document.error().ToString();
  // From scratch: the same machine and configuration, the pods in the recorded order.
  std::string error;
  auto machine = numa::LoadMachineFromHwlocXml(TopologyXml(), &error);
  ASSERT_TRUE(machine) << error;
  numa::KubeletNumaConfig config;
  config.topology_manager_policy = "single-numa-node";
  config.cpu_manager_policy = "static";
  config.memory_manager_policy = "Static";
  config.reserved_system_cpus = "0";
  ASSERT_TRUE(numa::ParseReservedMemoryFlag("0:memory=100Mi", &config.reserved_memory, &error));
  auto admitter = numa::NodeAdmitter::Create(*machine, config, &error);
  ASSERT_TRUE(admitter) << error;
  class MemoryStore final : public CheckpointStore {
   public:
    state::StateResult<Json> Load() override {
      return state::StateError{state::StateErrorKind::kMissing, "", "", 0};
    }
    state::StateStatus Save(const Json&) override { return {}; }
  } scratch_store;
  AllocationEngine scratch(*admitter, {node_}, scratch_store);
  std::set<std::string> seen;
  for (const auto& record : document.value()["pods"]) {
    const std::string name = record["name"];
    EXPECT_TRUE(seen.insert(name).second) << name << " recorded twice";
    Json pod = client_->Get(kube::resources::Pods(), ns_, name);
    auto observation = PodObservationFromJson(pod, &error);
    ASSERT_TRUE(observation) << error;
    ASSERT_EQ(scratch.Place(*observation).kind, PlacementOutcome::Kind::kAdmitted);
  }
  EXPECT_EQ(seen.size(), names.size()) << "a pod was dropped";
  EXPECT_EQ(document.value()["memoryManagerState"],
            scratch.CheckpointDocument()["memoryManagerState"]);
  // And what is pinned is what the state says.
  std::set<int> taken;
  for (const auto& [name, record] : pinned) {
    for (int cpu : record.Find("app")->sets.cpus) {
      EXPECT_TRUE(taken.insert(cpu).second) << "CPU " << cpu << " pinned twice";
    }
  }
}

}  // namespace
}  // namespace numalign::agent
