// The real kubectl (/usr/bin/kubectl) against the test API server: discovery, table output,
// client-side and server-side apply, JSON output and get -w.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "tests/support/apiserver/test_api_server.h"
#include "tests/support/apiserver/testing_http_client.h"

namespace numalign::test_apiserver {
namespace {

// The cluster-version kubectl that scripts/install-tools.sh installs on every machine (also
// NUMALIGN_KUBECTL), before any kubectl the machine happens to carry.
std::string FindKubectl() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("NUMALIGN_KUBECTL"); env && *env) candidates.push_back(env);
  if (const char* home = std::getenv("HOME"); home && *home) {
    candidates.push_back(std::string(home) + "/.cache/numalign-tools/bin/kubectl");
  }
  candidates.push_back("/usr/bin/kubectl");
  for (const auto& path : candidates) {
    if (std::filesystem::exists(path)) return path;
  }
  return candidates.back();
}

const std::string kKubectl = FindKubectl();

class KubectlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kKubectl))
        << kKubectl << " is not installed; the kubectl compatibility test needs it "
        << "(scripts/install-tools.sh installs one)";
    directory_ = std::filesystem::temp_directory_path() /
                 ("apiserver-kubectl-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
    server_ = TestApiServer::Start({});
    kubeconfig_ = server_->WriteKubeconfig((directory_ / "kubeconfig").string());
  }
  void TearDown() override {
    server_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  // Runs kubectl; returns its exit status and combined output.
  std::pair<int, std::string> Kubectl(const std::string& arguments,
                                      const std::string& prefix = "") {
    std::string command = prefix + kKubectl + " --kubeconfig " + kubeconfig_ + " --cache-dir " +
                          (directory_ / "cache").string() + " " + arguments + " 2>&1";
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return {-1, "popen failed"};
    std::array<char, 4096> buffer;
    while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
      output.append(buffer.data(), n);
    int status = ::pclose(pipe);
    return {WEXITSTATUS(status), output};
  }

  std::string WriteFile(const std::string& name, const std::string& content) {
    std::string path = (directory_ / name).string();
    std::ofstream(path) << content;
    return path;
  }

  std::filesystem::path directory_;
  std::unique_ptr<TestApiServer> server_;
  std::string kubeconfig_;
};

TEST_F(KubectlTest, CreateApplyGetAndWatch) {
  auto [ns_status, ns_output] = Kubectl("create namespace kt");
  ASSERT_EQ(ns_status, 0) << ns_output;

  auto [crd_status, crd_output] = Kubectl("apply -f " + std::string(NUMALIGN_TEST_FIXTURES_DIR) +
                                          "/noderesourcetopology-crd.yaml");
  ASSERT_EQ(crd_status, 0) << crd_output;
  EXPECT_NE(crd_output.find("created"), std::string::npos) << crd_output;

  std::string nrt = WriteFile("nrt.yaml", R"(apiVersion: topology.node.k8s.io/v1alpha2
kind: NodeResourceTopology
metadata:
  name: worker-0
topologyPolicies: ["SingleNUMANodeContainerLevel"]
zones:
- name: node-0
  type: Node
  resources:
  - name: cpu
    capacity: "16"
    allocatable: "15"
    available: "15"
)");
  auto [nrt_status, nrt_output] = Kubectl("apply -f " + nrt);
  ASSERT_EQ(nrt_status, 0) << nrt_output;
  auto [get_status, get_output] = Kubectl("get node-res-topo");
  ASSERT_EQ(get_status, 0) << get_output;
  EXPECT_NE(get_output.find("NAME"), std::string::npos) << get_output;
  EXPECT_NE(get_output.find("worker-0"), std::string::npos) << get_output;

  std::string pod = WriteFile("pod.yaml", R"(apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: kt
  labels:
    app: web
spec:
  containers:
  - name: c
    image: registry.k8s.io/pause:3.10
)");
  auto [apply_status, apply_output] = Kubectl("apply -f " + pod);
  ASSERT_EQ(apply_status, 0) << apply_output;
  EXPECT_NE(apply_output.find("pod/web created"), std::string::npos) << apply_output;
  // A second client-side apply with a change goes through a strategic merge patch.
  std::string changed = WriteFile("pod2.yaml", R"(apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: kt
  labels:
    app: web
    tier: front
spec:
  containers:
  - name: c
    image: registry.k8s.io/pause:3.10
)");
  auto [patch_status, patch_output] = Kubectl("apply -f " + changed);
  ASSERT_EQ(patch_status, 0) << patch_output;
  EXPECT_NE(patch_output.find("configured"), std::string::npos) << patch_output;
  auto [ssa_status, ssa_output] = Kubectl("apply --server-side -f " + changed);
  ASSERT_EQ(ssa_status, 0) << ssa_output;

  auto [json_status, json_output] = Kubectl("get pods -n kt -o json");
  ASSERT_EQ(json_status, 0) << json_output;
  Json list = Json::parse(json_output, nullptr, false);
  ASSERT_TRUE(list.is_object()) << json_output;
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["metadata"]["labels"]["tier"], "front");
  auto [table_status, table_output] = Kubectl("get pods -n kt");
  ASSERT_EQ(table_status, 0) << table_output;
  EXPECT_NE(table_output.find("Pending"), std::string::npos) << table_output;

  // kubectl get -w sees a pod created while it watches.
  std::string watch_output;
  std::thread watcher([&] { watch_output = Kubectl("get pods -n kt -w", "timeout 8 ").second; });
  std::this_thread::sleep_for(std::chrono::seconds(3));
  testing::HttpClient client(server_->Port());
  EXPECT_EQ(
      client
          .Post(
              "/api/v1/namespaces/kt/pods",
              R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"watched"},"spec":{"containers":[{"name":"c","image":"registry.k8s.io/pause:3.10"}]}})")
          .status,
      201);
  watcher.join();
  EXPECT_NE(watch_output.find("watched"), std::string::npos) << watch_output;

  auto [delete_status, delete_output] = Kubectl("delete pod web -n kt");
  EXPECT_EQ(delete_status, 0) << delete_output;
  auto [delete_nrt_status, delete_nrt_output] = Kubectl("delete node-res-topo worker-0");
  EXPECT_EQ(delete_nrt_status, 0) << delete_nrt_output;
}

// The binary, out of process: HTTPS with a self-signed certificate (made with OpenSSL here), a
// bearer token, --kubeconfig-out, and a clean exit on SIGTERM.
TEST_F(KubectlTest, BinaryServesTlsWithTokenAndStopsOnSigterm) {
  std::string cert = (directory_ / "tls.crt").string();
  std::string key = (directory_ / "tls.key").string();
  std::string openssl =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(openssl.c_str()), 0) << "openssl could not make a certificate";
  std::string kubeconfig = (directory_ / "binary-kubeconfig").string();
  std::string pid_file = (directory_ / "server.pid").string();
  std::string start = std::string("sh -c '") + NUMALIGN_TEST_APISERVER_BINARY +
                      " --tls-cert-file " + cert + " --tls-private-key-file " + key +
                      " --token s3cret --kubeconfig-out " + kubeconfig + " >" +
                      (directory_ / "server.out").string() + " 2>&1 & echo $! >" + pid_file + "'";
  ASSERT_EQ(std::system(start.c_str()), 0);
  pid_t pid = 0;
  for (int i = 0; i < 100 && (pid == 0 || !std::filesystem::exists(kubeconfig)); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ifstream(pid_file) >> pid;
  }
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(std::filesystem::exists(kubeconfig));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  kubeconfig_ = kubeconfig;
  auto [status, output] = Kubectl("get namespaces");
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("kube-system"), std::string::npos) << output;
  auto [whoami_status, whoami_output] = Kubectl("get pods --token wrong");
  EXPECT_NE(whoami_status, 0);
  EXPECT_NE(whoami_output.find("Unauthorized"), std::string::npos) << whoami_output;
  ::kill(pid, SIGTERM);
  bool exited = false;
  for (int i = 0; i < 100 && !exited; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    exited = ::kill(pid, 0) != 0;
  }
  EXPECT_TRUE(exited) << "numalign-test-apiserver did not stop on SIGTERM";
  if (!exited) ::kill(pid, SIGKILL);
}

}  // namespace
}  // namespace numalign::test_apiserver
