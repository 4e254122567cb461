#include "tests/integration/kube/kube_test_env.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "kube/config/loader.h"
#include "kube/rest/api_error.h"
#include "kube/rest/client_factory.h"
#include "tests/support/apiserver/test_api_server.h"

namespace numalign::kube::integration {

namespace {

// The NRT CRD exactly as recorded against kube-apiserver (transcripts/07, first JSON block).
Json LoadNrtCrd() {
  const std::string path =
      std::string(NUMALIGN_SHARED_DIR) + "/apiserver-transcripts/07-crd-noderesourcetopology.md";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  const auto start = s.find("```json\n");
  const auto end = s.find("\n```", start + 8);
  if (start == std::string::npos || end == std::string::npos) {
    throw std::runtime_error("no CRD JSON block in " + path);
  }
  return Json::parse(s.substr(start + 8, end - start - 8));
}

}  // namespace

std::string UniqueName(const std::string& prefix) {
  static std::mt19937_64 random(std::random_device{}());
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out = prefix + "-";
  for (int i = 0; i < 6; ++i) out += kChars[random() % 36];
  return out;
}

KubeTestEnv::KubeTestEnv() {
  ClientOptions options;
  options.user_agent = DefaultUserAgent("numalign-integration-test", "0.1.0");
  options.qps = 100;
  options.burst = 200;
  ConfigSource source;
  if (const char* kubeconfig = std::getenv("KUBECONFIG"); kubeconfig && *kubeconfig) {
    kubeconfig_path_ = kubeconfig;
  } else {
    server_ = test_apiserver::TestApiServer::Start({});
    kubeconfig_path_ =
        (std::filesystem::temp_directory_path() / (UniqueName("numalign-kubeconfig") + ".yaml"))
            .string();
    server_->WriteKubeconfig(kubeconfig_path_);
    source.kubeconfig = kubeconfig_path_;
  }
  config_ = LoadRestConfig(source);
  client_ = MakeApiClient(config_, options);
  namespace_ = UniqueName("numalign-it");
  client_->Create(
      resources::Namespaces(), "",
      {{"apiVersion", "v1"},
       {"kind", "Namespace"},
       {"metadata", {{"name", namespace_}, {"labels", {{"numalign.io/test", "true"}}}}}});
}

KubeTestEnv::~KubeTestEnv() {
  try {
    client_->Delete(resources::Namespaces(), "", namespace_);
  } catch (const std::exception&) {
    // Best effort: a failed cleanup must not hide the test's own result.
  }
  if (server_) {
    server_->Stop();
    std::error_code ec;
    std::filesystem::remove(kubeconfig_path_, ec);
  }
}

std::shared_ptr<RestClient> KubeTestEnv::NewClient() const {
  ClientOptions options;
  options.user_agent = DefaultUserAgent("numalign-integration-test", "0.1.0");
  options.qps = 100;
  options.burst = 200;
  ConfigSource source;
  source.kubeconfig = kubeconfig_path_;
  return MakeApiClient(LoadRestConfig(source), options);
}

void KubeTestEnv::EnsureNrtCrd() {
  const std::string name = "noderesourcetopologies.topology.node.k8s.io";
  try {
    client_->Get(resources::CustomResourceDefinitions(), "", name);
  } catch (const ApiError& e) {
    if (!e.IsNotFound()) throw;
    try {
      client_->Create(resources::CustomResourceDefinitions(), "", LoadNrtCrd());
    } catch (const ApiError& create_error) {
      if (!create_error.IsAlreadyExists()) throw;
    }
  }
  // Established takes a moment on a real cluster.
  for (int i = 0; i < 100; ++i) {
    try {
      ListOptions one;
      one.limit = 1;
      client_->List(resources::NodeResourceTopologies(), "", one);
      return;
    } catch (const ApiError& e) {
      if (!e.IsNotFound()) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("the NodeResourceTopology CRD never became served");
}

}  // namespace numalign::kube::integration
