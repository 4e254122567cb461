#include "tests/integration/extender/e2e/e2e_env.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "extender/testing/http_client.h"
#include "kube/config/loader.h"
#include "kube/rest/api_error.h"
#include "kube/rest/client_factory.h"
#include "kube/rest/resource.h"

namespace numalign::extender::integration {
namespace {

using namespace std::chrono_literals;

kube::ClientOptions TestClientOptions() {
  kube::ClientOptions options;
  options.user_agent = kube::DefaultUserAgent("numalign-extender-e2e", "0.1.0");
  options.qps = 200;
  options.burst = 400;
  return options;
}

std::shared_ptr<kube::RestClient> ClientFor(const std::string& kubeconfig) {
  kube::ConfigSource source;
  source.kubeconfig = kubeconfig;
  return kube::MakeApiClient(kube::LoadRestConfig(source), TestClientOptions());
}

// The NRT CRD as recorded against kube-apiserver (transcripts/07, its first JSON block).
kube::Json LoadNrtCrd() {
  const std::string path =
      std::string(NUMALIGN_SHARED_DIR) + "/apiserver-transcripts/07-crd-noderesourcetopology.md";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path + " (the NRT CRD)");
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  const auto start = s.find("```json\n");
  const auto end = s.find("\n```", start + 8);
  if (start == std::string::npos || end == std::string::npos) {
    throw std::runtime_error("no CRD JSON block in " + path);
  }
  return kube::Json::parse(s.substr(start + 8, end - start - 8));
}

}  // namespace

std::string UniqueName(const std::string& prefix) {
  static std::mt19937_64 random(std::random_device{}());
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out = prefix + "-";
  for (int i = 0; i < 6; ++i) out += kChars[random() % 36];
  return out;
}

E2eEnv::E2eEnv() {
  if (const char* kubeconfig = std::getenv("KUBECONFIG"); kubeconfig && *kubeconfig) {
    kubeconfig_path_ = kubeconfig;
  } else {
    kubeconfig_path_ =
        (std::filesystem::temp_directory_path() / (UniqueName("numalign-e2e") + ".yaml")).string();
    const unsigned short port = FreeLoopbackPort();
    server_ = std::make_unique<ChildProcess>(
        NUMALIGN_TEST_APISERVER_BINARY,
        std::vector<std::string>{"--port=" + std::to_string(port), "--bind-address=127.0.0.1",
                                 "--kubeconfig-out=" + kubeconfig_path_},
        port);
    if (!server_->WaitServing(10000)) {
      throw std::runtime_error("numalign-test-apiserver did not start: " + server_->Log());
    }
    for (int i = 0; i < 100 && !std::filesystem::exists(kubeconfig_path_); ++i) {
      std::this_thread::sleep_for(20ms);
    }
  }
  client_ = ClientFor(kubeconfig_path_);
  namespace_ = UniqueName("numalign-e2e");
  client_->Create(
      kube::resources::Namespaces(), "",
      {{"apiVersion", "v1"},
       {"kind", "Namespace"},
       {"metadata", {{"name", namespace_}, {"labels", {{"numalign.io/test", "true"}}}}}});
}

E2eEnv::~E2eEnv() {
  try {
    client_->Delete(kube::resources::Namespaces(), "", namespace_);
  } catch (const std::exception&) {
    // Best effort: a failed cleanup must not hide the test's own result.
  }
  if (server_) {
    server_->Stop();
    std::error_code ec;
    std::filesystem::remove(kubeconfig_path_, ec);
  }
}

std::shared_ptr<kube::RestClient> E2eEnv::NewClient() const {
  return ClientFor(kubeconfig_path_);
}

void E2eEnv::InjectLatency(const std::string& path, const std::string& method, int latency_ms,
                           int count) {
  if (!server_) throw std::logic_error("fault injection needs the in-repo API server");
  testing::HttpClient http({.port = server_->port()});
  kube::Json fault = {
      {"path", path}, {"method", method}, {"latencyMs", latency_ms}, {"count", count}};
  auto reply = http.post("/__testing/faults", fault.dump(), 5s);
  if (reply.status >= 300) throw std::runtime_error("fault injection failed: " + reply.body);
}

void E2eEnv::EnsureNrtCrd() {
  const std::string name = "noderesourcetopologies.topology.node.k8s.io";
  try {
    client_->Get(kube::resources::CustomResourceDefinitions(), "", name);
  } catch (const kube::ApiError& e) {
    if (!e.IsNotFound()) throw;
    try {
      client_->Create(kube::resources::CustomResourceDefinitions(), "", LoadNrtCrd());
    } catch (const kube::ApiError& create_error) {
      if (!create_error.IsAlreadyExists()) throw;
    }
  }
  for (int i = 0; i < 100; ++i) {  // Established takes a moment on a real cluster
    try {
      kube::ListOptions one;
      one.limit = 1;
      client_->List(kube::resources::NodeResourceTopologies(), "", one);
      return;
    } catch (const kube::ApiError& e) {
      if (!e.IsNotFound()) throw;
    }
    std::this_thread::sleep_for(100ms);
  }
  throw std::runtime_error("the NodeResourceTopology CRD never became served");
}

}  // namespace numalign::extender::integration
