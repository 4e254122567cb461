#include "agent/podresources/kubelet_state_source.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "agent/podresources/podresources_client.h"
#include "agent/podresources/podresources_test_machine.h"
#include "agent/podresources/testing/fake_podresources_server.h"

namespace numalign::agent::podresources {
namespace {

using testing::FakePodResourcesServer;
using namespace std::chrono_literals;

struct Env {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("nprs-" + std::to_string(std::random_device{}()));
  std::string socket;
  std::unique_ptr<FakePodResourcesServer> server;
  std::shared_ptr<PodResourcesClient> client;

  Env() {
    std::filesystem::create_directories(dir);
    socket = (dir / "kubelet.sock").string();
    server = FakePodResourcesServer::Start(socket);
    v1::AllocatableResourcesResponse allocatable;
    for (int cpu = 1; cpu < 8; ++cpu) allocatable.add_cpu_ids(cpu);
    server->SetAllocatable(allocatable);
    PodResourcesClientOptions options;
    options.socket_path = socket;
    options.timeout = 2s;
    client = std::make_shared<PodResourcesClient>(options);
  }
  ~Env() {
    server->Stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

KubeletModeConfig Config() {
  KubeletModeConfig config;
  config.node_name = "n1";
  config.cpu_manager_policy = "static";
  return config;
}

TEST(KubeletStateSourceTest, NothingKnownUntilTheFirstRefresh) {
  Env env;
  KubeletStateSource source(env.client, TwoNodeMachine(), Config());
  EXPECT_EQ(source.Generation(), 0u);
  EXPECT_EQ(source.Snapshot().node_name, "n1");
  ASSERT_TRUE(source.Refresh());
  EXPECT_EQ(source.Generation(), 1u);
  EXPECT_EQ(source.Snapshot().zones[0].resources.at("cpu").allocatable, 3);
}

TEST(KubeletStateSourceTest, ListenersHearOnlyRealChanges) {
  Env env;
  KubeletStateSource source(env.client, TwoNodeMachine(), Config());
  std::vector<std::uint64_t> heard;
  source.Subscribe([&](std::uint64_t g) { heard.push_back(g); });
  ASSERT_TRUE(source.Refresh());
  ASSERT_TRUE(source.Refresh());  // same data: no change
  env.server->AddPod("ns", "p", {FakePodResourcesServer::Container("c", {5})});
  ASSERT_TRUE(source.Refresh());
  EXPECT_EQ(heard, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(source.Snapshot().zones[1].resources.at("cpu").available, 3);
}

TEST(KubeletStateSourceTest, KubeletDownKeepsTheLastSnapshotAndSaysWhy) {
  Env env;
  KubeletStateSource source(env.client, TwoNodeMachine(), Config());
  ASSERT_TRUE(source.Refresh());
  env.server->Stop();
  EXPECT_FALSE(source.Refresh());
  EXPECT_NE(source.last_error().find("does not exist"), std::string::npos) << source.last_error();
  EXPECT_EQ(source.Generation(), 1u);
  EXPECT_EQ(source.failed_refreshes(), 1u);

  env.server = FakePodResourcesServer::Start(env.socket);  // back, with other data
  env.server->AddPod("ns", "p", {FakePodResourcesServer::Container("c", {1})});
  ASSERT_TRUE(source.Refresh());
  EXPECT_TRUE(source.last_error().empty());
  EXPECT_EQ(source.Generation(), 2u);
}

TEST(KubeletStateSourceTest, MalformedDataIsAnErrorNotACrash) {
  Env env;
  KubeletStateSource source(env.client, TwoNodeMachine(), Config());
  env.server->AddPod("ns", "p",
                     {FakePodResourcesServer::Container(
                         "c", {}, {FakePodResourcesServer::Memory("memory", 1, {9})})});
  EXPECT_FALSE(source.Refresh());
  EXPECT_EQ(source.last_error(),
            "pod ns/p container c: NUMA node 9 is not a NUMA node of this machine (nodes: 0,1)");
  EXPECT_EQ(source.Generation(), 0u);
}

TEST(KubeletStateSourceTest, ThreadRefreshesPeriodicallyAndRetriesAfterFailures) {
  Env env;
  env.server->FailWith(grpc::StatusCode::UNAVAILABLE, "kubelet starting");
  KubeletStateSourceOptions options;
  options.refresh_interval = 20ms;
  options.retry_backoff = {.initial = 20ms, .max = 50ms, .factor = 2, .jitter = 0};
  KubeletStateSource source(env.client, TwoNodeMachine(), Config(), options);
  std::atomic<std::uint64_t> last{0};
  source.Subscribe([&](std::uint64_t g) { last = g; });
  source.Start();
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(last.load(), 0u);
  EXPECT_GE(source.failed_refreshes(), 1u);
  env.server->ClearFailure();
  for (int i = 0; i < 200 && last.load() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(last.load(), 1u);
  env.server->AddPod("ns", "p", {FakePodResourcesServer::Container("c", {6})});
  for (int i = 0; i < 200 && last.load() < 2; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(last.load(), 2u);
  source.Stop();
}

}  // namespace
}  // namespace numalign::agent::podresources
