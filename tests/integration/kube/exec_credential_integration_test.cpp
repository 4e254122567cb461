// An exec credential plugin (client.authentication.k8s.io/v1) authenticating against the in-repo
// server started with bearer-token authentication. A real cluster has its own authentication,
// so this test runs only without KUBECONFIG.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "kube/config/loader.h"
#include "kube/rest/api_error.h"
#include "kube/rest/client_factory.h"
#include "tests/support/apiserver/test_api_server.h"

namespace numalign::kube::integration {
namespace {

namespace fs = std::filesystem;

class ExecCredentialIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* kubeconfig = std::getenv("KUBECONFIG"); kubeconfig && *kubeconfig) {
      GTEST_SKIP() << "needs the in-repo server with token authentication";
    }
    std::string pattern = (fs::temp_directory_path() / "exec-it-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    test_apiserver::TestApiServer::Options options;
    options.bearer_token = "exec-token-123";
    server_ = test_apiserver::TestApiServer::Start(options);
  }
  void TearDown() override {
    if (server_) server_->Stop();
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  // A kubeconfig whose user runs a plugin printing `token` (and counting its runs).
  std::string KubeconfigWithPlugin(const std::string& name, const std::string& token) {
    const fs::path plugin = dir_ / (name + ".sh");
    std::ofstream(plugin)
        << "#!/bin/sh\n"
           "echo run >> \"$0.runs\"\n"
           "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
           "\"status\":{\"token\":\""
        << token << "\"}}'\n";
    chmod(plugin.c_str(), 0755);
    const fs::path config = dir_ / (name + ".yaml");
    std::ofstream(config) << "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                             "clusters:\n- name: k\n  cluster:\n    server: "
                          << server_->Url()
                          << "\ncontexts:\n- name: c\n  context:\n    cluster: k\n    user: u\n"
                             "users:\n- name: u\n  user:\n    exec:\n"
                             "      apiVersion: client.authentication.k8s.io/v1\n"
                             "      command: ./"
                          << name << ".sh\n      interactiveMode: Never\n";
    return config.string();
  }

  int Runs(const std::string& name) {
    std::ifstream in(dir_ / (name + ".sh.runs"));
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }

  std::shared_ptr<RestClient> ClientFor(const std::string& kubeconfig) {
    ConfigSource source;
    source.kubeconfig = kubeconfig;
    ClientOptions options;
    options.user_agent = DefaultUserAgent("numalign-integration-test", "0.1.0");
    return MakeApiClient(LoadRestConfig(source), options);
  }

  fs::path dir_;
  std::unique_ptr<test_apiserver::TestApiServer> server_;
};

TEST_F(ExecCredentialIntegrationTest, PluginTokenAuthenticatesAndIsCached) {
  auto client = ClientFor(KubeconfigWithPlugin("good", "exec-token-123"));
  EXPECT_NO_THROW(client->List(resources::Namespaces(), ""));
  EXPECT_NO_THROW(client->List(resources::Namespaces(), ""));
  EXPECT_EQ(Runs("good"), 1);  // no expiry: cached until the server refuses it
}

TEST_F(ExecCredentialIntegrationTest, RejectedTokenIsRefreshedOnceThenReported) {
  auto client = ClientFor(KubeconfigWithPlugin("bad", "not-the-token"));
  try {
    client->List(resources::Namespaces(), "");
    FAIL() << "a wrong token was accepted";
  } catch (const ApiError& e) {
    EXPECT_TRUE(e.IsUnauthorized()) << e.what();
  }
  EXPECT_EQ(Runs("bad"), 2);  // the 401 made the client ask the plugin again, once
}

}  // namespace
}  // namespace numalign::kube::integration
