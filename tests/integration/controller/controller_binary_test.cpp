// numalign-controller as a process against the test API server (or KUBECONFIG's cluster): it
// campaigns, leads, serves /healthz, /readyz and /metrics, and leaves cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <thread>

#include "controller/testing/eventually.h"
#include "controller/testing/http_get.h"
#include "kube/rest/resource.h"
#include "tests/integration/kube/kube_test_env.h"

namespace numalign::controller {
namespace {

using namespace std::chrono_literals;
using kube::integration::KubeTestEnv;
using kube::integration::UniqueName;
using testing::RawGet;

using testing::Eventually;

// A port nobody listens on right now (the kernel's pick for a socket bound to port 0).
unsigned short FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

class ControllerBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override { env.EnsureNrtCrd(); }
  void TearDown() override { Stop(SIGKILL); }

  void Start() {
    log_ = (std::filesystem::temp_directory_path() / (UniqueName("controller") + ".log")).string();
    std::vector<std::string> args = {
        NUMALIGN_CONTROLLER_BINARY,
        "--kubeconfig=" + env.kubeconfig_path(),
        "--leader-elect-resource-namespace=" + env.ns(),
        "--leader-elect-resource-name=" + lease,
        "--leader-elect-lease-duration=2s",
        "--leader-elect-renew-deadline=1s",
        "--leader-elect-retry-period=250ms",
        "--sync-period=200ms",
        "--scheduler-name=" + UniqueName("it-sched"),
        "--health-port=" + std::to_string(health_port),
        "--metrics-bind-address=127.0.0.1:" + std::to_string(metrics_port)};
    pid_ = fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      FILE* out = std::freopen(log_.c_str(), "a", stderr);
      (void)out;
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      std::_Exit(127);
    }
  }
  // The exit status, or -1 when it had to be killed.
  int Stop(int signal_number) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal_number);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string Log() const {
    std::string text;
    if (FILE* f = std::fopen(log_.c_str(), "r")) {
      char buffer[4096];
      for (std::size_t n; (n = std::fread(buffer, 1, sizeof(buffer), f)) > 0;)
        text.append(buffer, n);
      std::fclose(f);
    }
    return text;
  }
  static bool Answers(unsigned short port, const std::string& path, const std::string& status) {
    return RawGet(port, path).rfind("HTTP/1.1 " + status, 0) == 0;
  }

  KubeTestEnv env;
  const std::string lease = UniqueName("it-controller");
  const unsigned short health_port = FreePort();
  const unsigned short metrics_port = [this] {
    unsigned short port = FreePort();
    while (port == health_port) port = FreePort();
    return port;
  }();
  pid_t pid_ = -1;
  std::string log_;
};

TEST_F(ControllerBinaryTest, LeadsServesProbesAndMetricsAndStopsOnSigterm) {
  Start();
  ASSERT_TRUE(Eventually([&] { return Answers(health_port, "/healthz", "200"); })) << Log();
  EXPECT_TRUE(Eventually([&] { return Answers(health_port, "/readyz", "200"); }))
      << RawGet(health_port, "/readyz") << Log();
  std::string scrape;
  EXPECT_TRUE(Eventually([&] {
    scrape = RawGet(metrics_port, "/metrics");
    return scrape.find("numalign_controller_leader 1") != std::string::npos;
  })) << scrape
      << Log();
  EXPECT_NE(scrape.find("text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(scrape.find("# TYPE numalign_controller_recoveries_total counter"), std::string::npos);
  const auto held = env.client()->Get(kube::resources::Leases(), env.ns(), lease);
  EXPECT_FALSE(held["spec"].value("holderIdentity", "").empty()) << held.dump();

  EXPECT_EQ(Stop(SIGTERM), 0) << Log();
  EXPECT_EQ(RawGet(health_port, "/healthz"), "connect failed");
}

TEST_F(ControllerBinaryTest, BadFlagsExitTwoWithTheFlagNamed) {
  pid_ = fork();
  ASSERT_GE(pid_, 0);
  if (pid_ == 0) {
    FILE* out = std::freopen("/dev/null", "w", stderr);
    (void)out;
    execl(NUMALIGN_CONTROLLER_BINARY, NUMALIGN_CONTROLLER_BINARY, "--defragment=maybe",
          static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
}  // namespace numalign::controller
