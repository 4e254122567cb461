#include "kube/config/kubeconfig.h"

#include <gtest/gtest.h>

#include <fstream>

#include "kube/config/base64.h"
#include "kube/config/in_cluster.h"
#include "kube/config/loader.h"
#include "kube/config/test_pem.h"
#include "kube/config/token_file_provider.h"
#include "kube/errors.h"
#include "kube/transport/cpprest_transport.h"
#include "tests/support/temp_dir.h"

namespace numalign::kube {
namespace {

namespace fs = std::filesystem;
using testing::kTestCertPem;
using testing::kTestKeyPem;

// A fresh directory per test, removed at the end.
class TempDir : public test_support::TempDir {
 public:
  TempDir() : test_support::TempDir("kubeconfig-test") {}
};

std::string ConfigWithUser(const std::string& user_yaml, const std::string& cluster_extra = "") {
  return "apiVersion: v1\nkind: Config\ncurrent-context: dev\n"
         "clusters:\n- name: c1\n  cluster:\n    server: https://10.0.0.1:6443/\n" +
         cluster_extra +
         "contexts:\n- name: dev\n  context:\n    cluster: c1\n    user: u1\n    namespace: team\n"
         "users:\n- name: u1\n  user:\n" +
         user_yaml;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(KubeconfigTest, BearerTokenAndCaData) {
  TempDir dir;
  const auto path = dir.Write(
      "config", ConfigWithUser("    token: abc123\n", "    certificate-authority-data: " +
                                                          EncodeBase64(kTestCertPem) + "\n"));
  const RestConfig config = Kubeconfig::LoadFile(path).ToRestConfig();
  EXPECT_EQ(config.server, "https://10.0.0.1:6443");
  EXPECT_EQ(config.default_namespace, "team");
  EXPECT_EQ(config.tls.ca_pem, kTestCertPem);
  ASSERT_TRUE(config.credentials);
  EXPECT_EQ(config.credentials->BearerToken(), "abc123");
  EXPECT_NE(config.source.find("context \"dev\""), std::string::npos);
}

TEST(KubeconfigTest, ClientCertificateFilesResolveRelativeToTheKubeconfig) {
  TempDir dir;
  dir.Write("pki/client.crt", kTestCertPem);
  dir.Write("pki/client.key", kTestKeyPem);
  dir.Write("pki/ca.crt", kTestCertPem);
  const auto path = dir.Write(
      "sub/../config",
      ConfigWithUser("    client-certificate: pki/client.crt\n    client-key: pki/client.key\n",
                     "    certificate-authority: pki/ca.crt\n"));
  const RestConfig config = Kubeconfig::LoadFile(path).ToRestConfig();
  EXPECT_EQ(config.tls.client_cert_pem, kTestCertPem);
  EXPECT_EQ(config.tls.client_key_pem, kTestKeyPem);
  EXPECT_EQ(config.tls.ca_pem, kTestCertPem);
  EXPECT_FALSE(config.credentials);
  // The cpprestsdk transport accepts this material.
  EXPECT_NO_THROW(MakeCpprestTransport(config.server, config.tls));
}

TEST(KubeconfigTest, ClientCertificateData) {
  TempDir dir;
  const auto path = dir.Write(
      "config", ConfigWithUser("    client-certificate-data: " + EncodeBase64(kTestCertPem) +
                               "\n    client-key-data: " + EncodeBase64(kTestKeyPem) + "\n"));
  const RestConfig config = Kubeconfig::LoadFile(path).ToRestConfig();
  EXPECT_EQ(config.tls.client_cert_pem, kTestCertPem);
  EXPECT_EQ(config.tls.client_key_pem, kTestKeyPem);
}

TEST(KubeconfigTest, InsecureSkipTlsVerify) {
  TempDir dir;
  const auto path =
      dir.Write("config", ConfigWithUser("    token: t\n", "    insecure-skip-tls-verify: true\n"));
  EXPECT_TRUE(Kubeconfig::LoadFile(path).ToRestConfig().tls.insecure_skip_verify);
}

TEST(KubeconfigTest, TokenFileIsReadAndRotates) {
  TempDir dir;
  dir.Write("token", "first\n");
  const auto path = dir.Write("config", ConfigWithUser("    tokenFile: token\n"));
  const RestConfig config = Kubeconfig::LoadFile(path).ToRestConfig();
  EXPECT_EQ(config.credentials->BearerToken(), "first");
  dir.Write("token", "second-token\n");
  EXPECT_EQ(config.credentials->BearerToken(), "second-token");
}

TEST(KubeconfigTest, ErrorsNameFileEntryAndField) {
  TempDir dir;
  const auto bad_data = dir.Write("bad-data", ConfigWithUser("    client-certificate-data: '%%%'\n"
                                                             "    client-key-data: " +
                                                             EncodeBase64(kTestKeyPem) + "\n"));
  const std::string e1 = ErrorOf([&] { Kubeconfig::LoadFile(bad_data).ToRestConfig(); });
  EXPECT_NE(e1.find(bad_data.string()), std::string::npos) << e1;
  EXPECT_NE(e1.find("users[0] \"u1\""), std::string::npos) << e1;
  EXPECT_NE(e1.find("client-certificate-data: not valid base64"), std::string::npos) << e1;

  const auto missing_file = dir.Write("missing", ConfigWithUser("    client-certificate: nope.crt\n"
                                                                "    client-key: nope.key\n"));
  const std::string e2 = ErrorOf([&] { Kubeconfig::LoadFile(missing_file).ToRestConfig(); });
  EXPECT_NE(e2.find("client-certificate: cannot read"), std::string::npos) << e2;
  EXPECT_NE(e2.find("nope.crt"), std::string::npos) << e2;

  const auto no_key = dir.Write(
      "nokey", ConfigWithUser("    client-certificate-data: " + EncodeBase64(kTestCertPem) + "\n"));
  EXPECT_NE(
      ErrorOf([&] { Kubeconfig::LoadFile(no_key).ToRestConfig(); }).find("client-key: missing"),
      std::string::npos);

  const auto bad_bool = dir.Write(
      "badbool", ConfigWithUser("    token: t\n", "    insecure-skip-tls-verify: maybe\n"));
  const std::string e3 = ErrorOf([&] { Kubeconfig::LoadFile(bad_bool); });
  EXPECT_NE(e3.find("clusters[0] \"c1\": cluster: insecure-skip-tls-verify: must be true or false"),
            std::string::npos)
      << e3;

  const auto not_pem = dir.Write(
      "notpem", ConfigWithUser("    token: t\n",
                               "    certificate-authority-data: " + EncodeBase64("hello") + "\n"));
  EXPECT_NE(ErrorOf([&] {
              Kubeconfig::LoadFile(not_pem).ToRestConfig();
            }).find("certificate-authority-data: does not contain a PEM certificate"),
            std::string::npos);

  const auto bad_yaml = dir.Write("badyaml", "clusters: [\n");
  EXPECT_NE(ErrorOf([&] { Kubeconfig::LoadFile(bad_yaml); }).find("not valid YAML"),
            std::string::npos);

  const auto unknown_context = dir.Write("ctx", ConfigWithUser("    token: t\n"));
  EXPECT_NE(ErrorOf([&] {
              Kubeconfig::LoadFile(unknown_context).ToRestConfig("prod");
            }).find("context \"prod\" is not defined"),
            std::string::npos);

  const auto two_tokens =
      dir.Write("two", ConfigWithUser("    token: t\n    tokenFile: /etc/hostname\n"));
  EXPECT_NE(
      ErrorOf([&] { Kubeconfig::LoadFile(two_tokens).ToRestConfig(); }).find("mutually exclusive"),
      std::string::npos);

  EXPECT_NE(ErrorOf([&] { Kubeconfig::LoadFile(dir.path() / "absent"); }).find("cannot read"),
            std::string::npos);
}

TEST(KubeconfigTest, MergeFirstFileWins) {
  TempDir dir;
  const auto a =
      dir.Write("a",
                "current-context: ctx-a\n"
                "clusters:\n- name: shared\n  cluster:\n    server: https://a:1\n"
                "contexts:\n- name: ctx-a\n  context:\n    cluster: shared\n    user: ua\n"
                "users:\n- name: ua\n  user:\n    token: token-a\n");
  const auto b =
      dir.Write("b",
                "current-context: ctx-b\n"
                "clusters:\n- name: shared\n  cluster:\n    server: https://b:1\n"
                "- name: only-b\n  cluster:\n    server: https://only-b:1\n"
                "contexts:\n- name: ctx-b\n  context:\n    cluster: only-b\n    user: ub\n"
                "users:\n- name: ub\n  user:\n    token: token-b\n");
  const Kubeconfig merged = Kubeconfig::LoadMerged(
      SplitKubeconfigList(a.string() + "::" + (dir.path() / "absent").string() + ":" + b.string()));
  EXPECT_EQ(merged.current_context, "ctx-a");
  EXPECT_EQ(merged.clusters.at("shared").server, "https://a:1");
  const RestConfig from_a = merged.ToRestConfig();
  EXPECT_EQ(from_a.server, "https://a:1");
  EXPECT_EQ(from_a.credentials->BearerToken(), "token-a");
  const RestConfig from_b = merged.ToRestConfig("ctx-b");
  EXPECT_EQ(from_b.server, "https://only-b:1");
  EXPECT_EQ(from_b.credentials->BearerToken(), "token-b");
}

TEST(KubeconfigTest, LoaderPrecedence) {
  TempDir dir;
  const auto flag = dir.Write("flag", ConfigWithUser("    token: from-flag\n"));
  const auto env = dir.Write("env", ConfigWithUser("    token: from-env\n"));
  std::map<std::string, std::string> vars{{"KUBECONFIG", env.string()},
                                          {"KUBERNETES_SERVICE_HOST", "10.96.0.1"},
                                          {"KUBERNETES_SERVICE_PORT", "443"}};
  ConfigSource source;
  source.getenv = [&](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional(it->second);
  };
  source.kubeconfig = flag.string();
  EXPECT_EQ(LoadRestConfig(source).credentials->BearerToken(), "from-flag");
  source.kubeconfig.clear();
  EXPECT_EQ(LoadRestConfig(source).credentials->BearerToken(), "from-env");
  vars.erase("KUBECONFIG");
  dir.Write("sa/token", "sa-token\n");
  dir.Write("sa/ca.crt", kTestCertPem);
  dir.Write("sa/namespace", "numalign-system");
  source.service_account_dir = dir.path() / "sa";
  const RestConfig in_cluster = LoadRestConfig(source);
  EXPECT_EQ(in_cluster.server, "https://10.96.0.1:443");
  EXPECT_EQ(in_cluster.default_namespace, "numalign-system");
  vars.clear();
  vars["HOME"] = (dir.path() / "nohome").string();
  EXPECT_NE(ErrorOf([&] { LoadRestConfig(source); }).find("no API server configuration"),
            std::string::npos);
}

TEST(InClusterTest, TokenIsReReadWhenRotated) {
  TempDir dir;
  dir.Write("token", "token-1");
  dir.Write("ca.crt", kTestCertPem);
  InClusterOptions options{"fd00::1", "6443", dir.path()};
  const RestConfig config = InClusterConfig(options);
  EXPECT_EQ(config.server, "https://[fd00::1]:6443");
  EXPECT_EQ(config.tls.ca_pem, kTestCertPem);
  EXPECT_EQ(config.credentials->BearerToken(), "token-1");
  // The kubelet swaps the file atomically; a different size or mtime triggers a re-read.
  dir.Write("token.new", "token-2-longer");
  fs::rename(dir.path() / "token.new", dir.path() / "token");
  EXPECT_EQ(config.credentials->BearerToken(), "token-2-longer");
  // A momentarily missing file keeps the last token.
  fs::remove(dir.path() / "token");
  EXPECT_EQ(config.credentials->BearerToken(), "token-2-longer");
}

TEST(InClusterTest, MissingPiecesAreNamed) {
  TempDir dir;
  EXPECT_NE(ErrorOf([&] {
              InClusterConfig({"", "", dir.path()});
            }).find("KUBERNETES_SERVICE_HOST"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              InClusterConfig({"h", "1", dir.path()});
            }).find("ca.crt"),
            std::string::npos);
  dir.Write("ca.crt", kTestCertPem);
  EXPECT_NE(ErrorOf([&] {
              InClusterConfig({"h", "1", dir.path()});
            }).find("token"),
            std::string::npos);
}

TEST(TransportConfigTest, BadPemIsAConfigErrorAtConstruction) {
  TlsConfig tls;
  tls.ca_pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  EXPECT_THROW(MakeCpprestTransport("https://127.0.0.1:1", tls), ConfigError);
  EXPECT_THROW(MakeCpprestTransport("ftp://x", {}), ConfigError);
  TlsConfig mismatched;
  mismatched.client_cert_pem = kTestCertPem;
  EXPECT_THROW(MakeCpprestTransport("https://127.0.0.1:1", mismatched), ConfigError);
}

TEST(Base64Test, RoundTripsAndRejectsGarbage) {
  EXPECT_EQ(EncodeBase64("hello"), "aGVsbG8=");
  EXPECT_EQ(DecodeBase64("aGVs\nbG8="), "hello");
  EXPECT_EQ(DecodeBase64("aGVsbG8"), "hello");
  EXPECT_FALSE(DecodeBase64("a$b="));
  EXPECT_FALSE(DecodeBase64("aGVsbG8=x"));
}

}  // namespace
}  // namespace numalign::kube
