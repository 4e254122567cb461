// numalign-agent --pinning-mode=kubelet end to end: the real binary (a child process) reads a
// fake kubelet's podresources v1 socket and publishes the NodeResourceTopology to the test API
// server (or KUBECONFIG's cluster); it must write no cgroup and no checkpoint.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "agent/podresources/testing/fake_podresources_server.h"
#include "kube/rest/api_error.h"
#include "kube/rest/resource.h"
#include "tests/integration/kube/kube_test_env.h"

namespace numalign::agent {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using kube::integration::KubeTestEnv;
using kube::integration::UniqueName;
using nlohmann::json;
using podresources::testing::FakePodResourcesServer;

fs::path SharedTopology(const std::string& file) {
  const char* shared = std::getenv("NUMALIGN_SHARED");
  return fs::path(shared ? shared : NUMALIGN_SHARED_DIR) / "topologies" / "hwloc" / file;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Attr(const json& nrt, const std::string& name) {
  for (const auto& a : nrt.value("attributes", json::array())) {
    if (a.value("name", "") == name) return a.value("value", "");
  }
  return "<missing>";
}

json Resource(const json& nrt, const std::string& zone, const std::string& resource) {
  for (const auto& z : nrt.value("zones", json::array())) {
    if (z.value("name", "") != zone) continue;
    for (const auto& r : z.value("resources", json::array())) {
      if (r.value("name", "") == resource) return r;
    }
  }
  return json();
}

class AgentKubeletMode : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(SharedTopology("32em64t-2n8c2t-pci-normalio.xml")))
        << "shared topology missing: " << SharedTopology("32em64t-2n8c2t-pci-normalio.xml")
        << " (the ../shared checkout, or set NUMALIGN_SHARED)";
    env_.EnsureNrtCrd();
    node_ = UniqueName("numalign-kmode");
    env_.client()->Create(
        kube::resources::Nodes(), "",
        {{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", node_}}}});
    dir_ = fs::temp_directory_path() / UniqueName("numalign-kmode");
    fs::create_directories(dir_ / "state");
    // A pod cgroup the kubelet would have made: the agent must leave it alone.
    fs::create_directories(dir_ / "cgroup/kubepods.slice");
    std::ofstream(dir_ / "cgroup/cgroup.controllers") << "cpuset\n";
    std::ofstream(dir_ / "cgroup/kubepods.slice/cpuset.cpus") << "\n";
    std::ofstream(dir_ / "cgroup/kubepods.slice/cpuset.mems") << "\n";
  }

  void TearDown() override {
    Stop(SIGKILL);
    for (const auto* r : {&kube::resources::NodeResourceTopologies(), &kube::resources::Nodes()}) {
      try {
        env_.client()->Delete(*r, "", node_);
      } catch (const std::exception&) {
        // Best effort: cleanup must not hide the test's result.
      }
    }
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void Start(const std::string& socket) {
    agent_ = ::fork();
    ASSERT_GE(agent_, 0);
    if (agent_ == 0) {
      FILE* out = std::freopen((dir_ / "agent.log").c_str(), "a", stderr);
      (void)out;
      std::vector<std::string> args = {
          NUMALIGN_AGENT_BINARY,
          "--node-name=" + node_,
          "--kubeconfig=" + env_.kubeconfig_path(),
          "--pinning-mode=kubelet",
          "--podresources-socket=" + socket,
          "--topology-xml=" + SharedTopology("32em64t-2n8c2t-pci-normalio.xml").string(),
          "--topology-manager-policy=single-numa-node",
          "--cpu-manager-policy=static",
          "--cgroup-root=" + (dir_ / "cgroup").string(),
          "--state-dir=" + (dir_ / "state").string(),
          "--health-port=0"};
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      std::_Exit(127);
    }
  }

  int Stop(int signal_number) {
    if (agent_ <= 0) return -1;
    ::kill(agent_, signal_number);
    int status = 0;
    ::waitpid(agent_, &status, 0);
    agent_ = -1;
    return status;
  }

  json WaitForNrt(std::chrono::milliseconds timeout, const std::function<bool(const json&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    json last;
    while (std::chrono::steady_clock::now() < deadline) {
      try {
        last = env_.client()->Get(kube::resources::NodeResourceTopologies(), "", node_);
        if (done(last)) return last;
      } catch (const kube::ApiError&) {
        // Not there yet.
      }
      std::this_thread::sleep_for(50ms);
    }
    return last;
  }

  KubeTestEnv env_;
  std::string node_;
  fs::path dir_;
  pid_t agent_ = -1;
};

TEST_F(AgentKubeletMode, PublishesThePodResourcesStateAndWritesNoCgroupOrCheckpoint) {
  auto kubelet = FakePodResourcesServer::Start((dir_ / "kubelet.sock").string());
  // NUMA node 0 of this machine holds CPUs 0-7 and 16-23; the kubelet reserved CPU 0.
  v1::AllocatableResourcesResponse allocatable;
  for (int cpu = 1; cpu < 32; ++cpu) allocatable.add_cpu_ids(cpu);
  kubelet->SetAllocatable(allocatable);
  kubelet->AddPod("ns", "pinned", {FakePodResourcesServer::Container("c", {2, 3})});
  Start(kubelet->socket_path());

  json nrt = WaitForNrt(20s, [](const json& o) { return o.contains("zones"); });
  ASSERT_TRUE(nrt.contains("zones")) << nrt.dump(2) << "\nagent log:\n"
                                     << ReadAll(dir_ / "agent.log");
  EXPECT_EQ(Attr(nrt, "numalign.io/pinningMode"), "kubelet");
  EXPECT_EQ(Attr(nrt, "topologyManagerPolicy"), "single-numa-node");
  EXPECT_EQ(
      Resource(nrt, "node-0", "cpu"),
      (json{{"name", "cpu"}, {"capacity", "16"}, {"allocatable", "15"}, {"available", "13"}}));
  EXPECT_EQ(Resource(nrt, "node-1", "cpu")["available"], "16");

  // The kubelet frees the pod's CPUs: the agent follows within its refresh + coalescing.
  kubelet->RemovePod("ns", "pinned");
  nrt = WaitForNrt(10s,
                   [](const json& o) { return Resource(o, "node-0", "cpu")["available"] == "15"; });
  EXPECT_EQ(Resource(nrt, "node-0", "cpu")["available"], "15") << ReadAll(dir_ / "agent.log");

  const int status = Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadAll(dir_ / "agent.log");
  // Mode kubelet: the kubelet pins; nothing of the agent's in the cgroup tree or state dir.
  EXPECT_EQ(ReadAll(dir_ / "cgroup/kubepods.slice/cpuset.cpus"), "\n");
  EXPECT_EQ(ReadAll(dir_ / "cgroup/kubepods.slice/cpuset.mems"), "\n");
  EXPECT_TRUE(fs::is_empty(dir_ / "state"));
  kubelet->Stop();
}

TEST_F(AgentKubeletMode, WithoutTheKubeletSocketItStaysUpAndPublishesNothing) {
  Start((dir_ / "no-kubelet.sock").string());
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(::waitpid(agent_, nullptr, WNOHANG), 0) << "the agent exited:\n"
                                                    << ReadAll(dir_ / "agent.log");
  EXPECT_THROW(env_.client()->Get(kube::resources::NodeResourceTopologies(), "", node_),
               kube::ApiError);
  EXPECT_NE(ReadAll(dir_ / "agent.log").find("no-kubelet.sock"), std::string::npos)
      << "the log should name the missing socket:\n"
      << ReadAll(dir_ / "agent.log");
}

}  // namespace
}  // namespace numalign::agent
