// TLS against the in-repo server: the server certificate is verified against the kubeconfig's
// certificate-authority (including the IP in its subjectAltName), a wrong CA fails the handshake,
// and insecure-skip-tls-verify skips verification. Runs only without KUBECONFIG, and only where
// the openssl command can mint a test certificate.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "kube/config/loader.h"
#include "kube/errors.h"
#include "kube/rest/client_factory.h"
#include "tests/support/apiserver/test_api_server.h"

namespace numalign::kube::integration {
namespace {

namespace fs = std::filesystem;

class TlsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* kubeconfig = std::getenv("KUBECONFIG"); kubeconfig && *kubeconfig) {
      GTEST_SKIP() << "needs the in-repo server";
    }
    std::string pattern = (fs::temp_directory_path() / "tls-it-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    if (!MintCertificate("server") || !MintCertificate("other")) {
      GTEST_SKIP() << "openssl cannot mint a test certificate here";
    }
    test_apiserver::TestApiServer::Options options;
    options.tls_cert_file = (dir_ / "server.crt").string();
    options.tls_private_key_file = (dir_ / "server.key").string();
    options.bearer_token = "tls-token";
    server_ = test_apiserver::TestApiServer::Start(options);
  }
  void TearDown() override {
    if (server_) server_->Stop();
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  bool MintCertificate(const std::string& name) {
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
        " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout '" +
        (dir_ / (name + ".key")).string() + "' -out '" + (dir_ / (name + ".crt")).string() +
        "' >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
  }

  std::string Kubeconfig(const std::string& name, const std::string& cluster_fields) {
    const fs::path path = dir_ / (name + ".yaml");
    std::ofstream(path) << "current-context: c\nclusters:\n- name: k\n  cluster:\n    server: "
                        << server_->Url() << "\n"
                        << cluster_fields
                        << "contexts:\n- name: c\n  context:\n    cluster: k\n    user: u\n"
                           "users:\n- name: u\n  user:\n    token: tls-token\n";
    return path.string();
  }

  std::shared_ptr<RestClient> ClientFor(const std::string& kubeconfig) {
    ConfigSource source;
    source.kubeconfig = kubeconfig;
    ClientOptions options;
    options.max_retries = 0;  // a handshake failure is not worth retrying here
    return MakeApiClient(LoadRestConfig(source), options);
  }

  fs::path dir_;
  std::unique_ptr<test_apiserver::TestApiServer> server_;
};

TEST_F(TlsIntegrationTest, VerifiesTheServerAgainstTheKubeconfigCa) {
  ASSERT_TRUE(server_->Url().starts_with("https://"));
  const std::string path = (dir_ / "server.yaml").string();
  server_->WriteKubeconfig(path);  // carries certificate-authority-data and the token
  auto client = ClientFor(path);
  EXPECT_NO_THROW(client->List(resources::Namespaces(), ""));
  // Watches stream over TLS too, and end at timeoutSeconds.
  WatchOptions options;
  options.timeout_seconds = 1;
  auto watch = client->Watch(resources::Namespaces(), "", options);
  int events = 0;
  while (watch->Next()) ++events;
  EXPECT_GE(events, 0);
}

TEST_F(TlsIntegrationTest, CaFileFromKubeconfig) {
  auto client = ClientFor(
      Kubeconfig("ca-file", "    certificate-authority: " + (dir_ / "server.crt").string() + "\n"));
  EXPECT_NO_THROW(client->List(resources::Namespaces(), ""));
}

TEST_F(TlsIntegrationTest, WrongCaFailsTheHandshake) {
  auto client = ClientFor(
      Kubeconfig("wrong-ca", "    certificate-authority: " + (dir_ / "other.crt").string() + "\n"));
  EXPECT_THROW(client->List(resources::Namespaces(), ""), TransportError);
}

TEST_F(TlsIntegrationTest, InsecureSkipTlsVerify) {
  auto client = ClientFor(Kubeconfig("insecure", "    insecure-skip-tls-verify: true\n"));
  EXPECT_NO_THROW(client->List(resources::Namespaces(), ""));
}

}  // namespace
}  // namespace numalign::kube::integration
