// TLS serving with client-certificate verification, against a throwaway CA made with the
// openssl CLI.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "extender/testing/fake_decider.h"
#include "extender/testing/http_client.h"
#include "extender/testing/local_extender.h"

namespace numalign::extender {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using testing::ClientOptions;
using testing::HttpClient;
using testing::LocalExtender;
using testing::TransportError;

const std::string kFilterBody = R"({"Pod":{},"NodeNames":["a"]})";

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("numalign-extender-tls-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    const std::string openssl = NUMALIGN_OPENSSL_CLI;
    const auto run = [&](const std::string& args) {
      const auto command =
          "cd '" + dir_.string() + "' && '" + openssl + "' " + args + " >/dev/null 2>&1";
      ASSERT_EQ(std::system(command.c_str()), 0) << command;
    };
    const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    std::ofstream(dir_ / "server.ext") << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
    for (const std::string ca : {"ca", "rogue-ca"}) {
      run("req -x509 " + key + " -keyout " + ca + ".key -out " + ca +
          ".crt -days 1 -subj /CN=" + ca);
    }
    auto issue = [&](const std::string& name, const std::string& ca, const std::string& extra) {
      run("req " + key + " -keyout " + name + ".key -out " + name + ".csr -subj /CN=" + name);
      run("x509 -req -in " + name + ".csr -CA " + ca + ".crt -CAkey " + ca +
          ".key -CAcreateserial -out " + name + ".crt -days 1 " + extra);
    };
    issue("server", "ca", "-extfile server.ext");
    issue("client", "ca", "");
    issue("rogue-client", "rogue-ca", "");
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static std::string file(const std::string& name) { return (dir_ / name).string(); }

  LocalExtender::Options tls_options(bool require_client_certificates) {
    LocalExtender::Options options;
    options.server.tls = http::TlsOptions{file("server.crt"), file("server.key"),
                                          require_client_certificates ? file("ca.crt") : ""};
    return options;
  }

  ClientOptions client(const LocalExtender& extender, const std::string& cert) {
    ClientOptions options;
    options.port = extender.port();
    options.tls.enabled = true;
    options.tls.ca_file = file("ca.crt");
    options.tls.server_name = "localhost";
    if (!cert.empty()) {
      options.tls.cert_file = file(cert + ".crt");
      options.tls.key_file = file(cert + ".key");
    }
    return options;
  }

  static fs::path dir_;
  testing::FakeDecider decider_;
};

fs::path TlsTest::dir_;

TEST_F(TlsTest, ServesHttpsWithAVerifiedServerCertificate) {
  LocalExtender extender(decider_, tls_options(false));
  EXPECT_EQ(extender.url_prefix().substr(0, 8), "https://");
  HttpClient https(client(extender, ""));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(https.post("/numalign/filter", kFilterBody, 5s).status, 200u);
  }
  EXPECT_EQ(https.connections_opened(), 1);
  // kube-scheduler with enableHTTPS and no CA skips verification.
  auto insecure = client(extender, "");
  insecure.tls.ca_file.clear();
  HttpClient unverified(insecure);
  EXPECT_EQ(unverified.post("/numalign/filter", kFilterBody, 5s).status, 200u);
}

TEST_F(TlsTest, RequiresAClientCertificateSignedByTheClientCa) {
  LocalExtender extender(decider_, tls_options(true));
  HttpClient trusted(client(extender, "client"));
  EXPECT_EQ(trusted.post("/numalign/filter", kFilterBody, 5s).status, 200u);

  HttpClient anonymous(client(extender, ""));
  EXPECT_THROW(anonymous.post("/numalign/filter", kFilterBody, 5s), TransportError);
  HttpClient rogue(client(extender, "rogue-client"));
  EXPECT_THROW(rogue.post("/numalign/filter", kFilterBody, 5s), TransportError);
  EXPECT_EQ(decider_.calls().filter, 1);

  // Rejected handshakes do not disturb the server.
  EXPECT_EQ(trusted.post("/numalign/filter", kFilterBody, 5s).status, 200u);
}

TEST_F(TlsTest, PlainHttpToATlsPortFails) {
  LocalExtender extender(decider_, tls_options(false));
  ClientOptions plain;
  plain.port = extender.port();
  HttpClient client(plain);
  EXPECT_THROW(client.post("/numalign/filter", kFilterBody, 2s), TransportError);
}

TEST_F(TlsTest, MissingCertificateFilesFailAtStart) {
  LocalExtender::Options options;
  options.server.tls = http::TlsOptions{file("absent.crt"), file("absent.key"), ""};
  EXPECT_THROW(LocalExtender(decider_, options), std::runtime_error);
}

}  // namespace
}  // namespace numalign::extender
