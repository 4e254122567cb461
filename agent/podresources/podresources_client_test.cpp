#include "agent/podresources/podresources_client.h"

#include <gtest/gtest.h>

#include <fstream>

#include "agent/podresources/testing/fake_podresources_server.h"
#include "tests/support/temp_dir.h"

namespace numalign::agent::podresources {
namespace {

using testing::FakePodResourcesServer;

// A fresh directory per test, its name short: Unix socket paths must stay under 108 bytes.
class TempDir : public test_support::TempDir {
 public:
  TempDir() : test_support::TempDir("nprt") {}
};

PodResourcesClientOptions Options(const std::string& socket) {
  PodResourcesClientOptions options;
  options.socket_path = socket;
  options.timeout = std::chrono::seconds(2);
  return options;
}

TEST(PodResourcesClientTest, ReadsAllocatableAndListOverTheRealV1Service) {
  TempDir dir;
  auto server = FakePodResourcesServer::Start(dir / "kubelet.sock");
  v1::AllocatableResourcesResponse allocatable;
  for (int cpu : {1, 2, 3}) allocatable.add_cpu_ids(cpu);
  *allocatable.add_memory() = FakePodResourcesServer::Memory("memory", 1 << 30, {0});
  server->SetAllocatable(allocatable);
  server->AddPod(
      "net", "dpdk",
      {FakePodResourcesServer::Container(
          "fwd", {2, 3}, {FakePodResourcesServer::Memory("hugepages-2Mi", 1 << 21, {0, 1})})});
  server->AddPod("default", "web", {FakePodResourcesServer::Container("nginx", {})});

  PodResourcesClient client(Options(server->socket_path()));
  const auto a = client.GetAllocatableResources();
  EXPECT_EQ(a.cpu_ids, (std::vector<std::int64_t>{1, 2, 3}));
  ASSERT_EQ(a.memory.size(), 1u);
  EXPECT_EQ(a.memory[0], (MemoryBlock{"memory", 1 << 30, {0}}));

  const auto pods = client.List();
  ASSERT_EQ(pods.size(), 2u);
  EXPECT_EQ(pods[0], (PodAssignment{
                         "net", "dpdk", {{"fwd", {2, 3}, {{"hugepages-2Mi", 1 << 21, {0, 1}}}}}}));
  EXPECT_EQ(pods[1], (PodAssignment{"default", "web", {{"nginx", {}, {}}}}));

  const auto one = client.Get("net", "dpdk");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->name, "dpdk");
  EXPECT_FALSE(client.Get("net", "nope").has_value());
}

TEST(PodResourcesClientTest, MissingSocketIsAClearError) {
  TempDir dir;
  PodResourcesClient client(Options(dir / "absent.sock"));
  try {
    client.List();
    FAIL() << "no error";
  } catch (const PodResourcesError& e) {
    EXPECT_NE(std::string(e.what()).find("absent.sock does not exist"), std::string::npos)
        << e.what();
  }
}

TEST(PodResourcesClientTest, RegularFileIsNotASocket) {
  TempDir dir;
  std::ofstream(dir / "file.sock") << "x";
  PodResourcesClient client(Options(dir / "file.sock"));
  EXPECT_THROW(client.GetAllocatableResources(), PodResourcesError);
}

TEST(PodResourcesClientTest, ServerErrorsAndServerGoneAreClearErrorsThenRecover) {
  TempDir dir;
  const std::string socket = dir / "kubelet.sock";
  auto server = FakePodResourcesServer::Start(socket);
  PodResourcesClient client(Options(socket));
  server->FailWith(grpc::StatusCode::RESOURCE_EXHAUSTED, "rejected by rate limit");
  try {
    client.List();
    FAIL() << "no error";
  } catch (const PodResourcesError& e) {
    EXPECT_NE(std::string(e.what()).find("List on unix:" + socket +
                                         " failed: RESOURCE_EXHAUSTED: rejected by rate limit"),
              std::string::npos)
        << e.what();
  }
  server->ClearFailure();
  EXPECT_NO_THROW(client.List());

  server->Stop();  // the kubelet goes away: socket removed
  EXPECT_THROW(client.List(), PodResourcesError);

  // A socket file that nobody serves (kubelet crashed without cleanup).
  auto restarted = FakePodResourcesServer::Start(socket);
  restarted->AddPod("a", "b", {});
  ASSERT_EQ(client.List().size(), 1u);  // the same client reconnects
}

}  // namespace
}  // namespace numalign::agent::podresources
