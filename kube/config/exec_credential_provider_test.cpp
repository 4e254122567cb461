#include "kube/config/exec_credential_provider.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "kube/config/kubeconfig.h"
#include "kube/errors.h"

namespace numalign::kube {
namespace {

namespace fs = std::filesystem;

class ExecPluginTest : public ::testing::Test {
 protected:
  ExecPluginTest() {
    std::string pattern = (fs::temp_directory_path() / "exec-plugin-test-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  ~ExecPluginTest() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A plugin that counts its runs in a file and prints an ExecCredential.
  fs::path WritePlugin(const std::string& name, const std::string& body) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "#!/bin/sh\n" << body;
    chmod(p.c_str(), 0755);
    return p;
  }

  std::string TokenPlugin(const std::string& expiry) {
    return "n=$(cat \"$0.count\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$0.count\"\n"
           "cat <<EOF\n"
           "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
           "\"status\":{\"token\":\"tok-$n-$PLUGIN_SUFFIX\"" +
           (expiry.empty() ? "" : ",\"expirationTimestamp\":\"" + expiry + "\"") + "}}\nEOF\n";
  }

  ExecConfig Config(const fs::path& command) {
    ExecConfig c;
    c.api_version = "client.authentication.k8s.io/v1";
    c.command = command.string();
    c.env = {{"PLUGIN_SUFFIX", "x"}};
    c.origin = "kubeconfig test users[0] \"u\": exec";
    return c;
  }

  fs::path dir_;
};

TEST_F(ExecPluginTest, CachesTokenUntilExpiry) {
  auto clock = std::make_shared<FakeClock>();
  const auto plugin = WritePlugin("plugin", TokenPlugin("2027-01-15T09:00:00Z"));
  ExecCredentialProvider provider(Config(plugin), clock);
  clock->Set(Clock::TimePoint(std::chrono::seconds(1'800'000'000)));  // 2027-01-15T08:00:00Z
  EXPECT_EQ(provider.BearerToken(), "tok-1-x");
  EXPECT_EQ(provider.BearerToken(), "tok-1-x");
  EXPECT_EQ(provider.runs(), 1);
  clock->Advance(std::chrono::minutes(59) + std::chrono::seconds(55));  // inside the slack
  EXPECT_EQ(provider.BearerToken(), "tok-2-x");
  EXPECT_EQ(provider.runs(), 2);
}

TEST_F(ExecPluginTest, WithoutExpiryCachesUntilInvalidated) {
  const auto plugin = WritePlugin("plugin", TokenPlugin(""));
  ExecCredentialProvider provider(Config(plugin));
  EXPECT_EQ(provider.BearerToken(), "tok-1-x");
  EXPECT_EQ(provider.BearerToken(), "tok-1-x");
  provider.Invalidate();
  EXPECT_EQ(provider.BearerToken(), "tok-2-x");
}

TEST_F(ExecPluginTest, ReceivesExecInfoAndArgs) {
  const auto plugin = WritePlugin(
      "plugin",
      "case \"$KUBERNETES_EXEC_INFO\" in *'\"interactive\":false'*) ;; *) exit 3;; esac\n"
      "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
      "\"status\":{\"token\":\"%s\"}}' \"$1\"\n");
  ExecConfig config = Config(plugin);
  config.args = {"from-arg"};
  ExecCredentialProvider provider(config);
  EXPECT_EQ(provider.BearerToken(), "from-arg");
}

TEST_F(ExecPluginTest, FailuresAreConfigErrorsWithTheHint) {
  const auto failing = WritePlugin("failing", "echo oops >&2; exit 4\n");
  ExecConfig config = Config(failing);
  config.install_hint = "install the cloud CLI";
  try {
    ExecCredentialProvider(config).BearerToken();
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("exited with status 4"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("install the cloud CLI"), std::string::npos);
  }
  const auto wrong_version =
      WritePlugin("wrong",
                  "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":"
                  "\"ExecCredential\",\"status\":{\"token\":\"t\"}}'\n");
  EXPECT_THROW(ExecCredentialProvider(Config(wrong_version)).BearerToken(), ConfigError);
  const auto garbage = WritePlugin("garbage", "echo not json\n");
  EXPECT_THROW(ExecCredentialProvider(Config(garbage)).BearerToken(), ConfigError);
  EXPECT_THROW(ExecCredentialProvider(Config(dir_ / "does-not-exist")).BearerToken(), ConfigError);
  const auto bad_time = WritePlugin("badtime", TokenPlugin("tomorrow"));
  EXPECT_THROW(ExecCredentialProvider(Config(bad_time)).BearerToken(), ConfigError);
}

TEST_F(ExecPluginTest, FromKubeconfigWithRelativeCommand) {
  WritePlugin("bin/plugin", TokenPlugin(""));
  const fs::path config_path = dir_ / "config";
  std::ofstream(config_path)
      << "current-context: c\n"
         "clusters:\n- name: k\n  cluster:\n    server: https://127.0.0.1:6443\n"
         "contexts:\n- name: c\n  context:\n    cluster: k\n    user: u\n"
         "users:\n- name: u\n  user:\n    exec:\n"
         "      apiVersion: client.authentication.k8s.io/v1\n"
         "      command: ./bin/plugin\n"
         "      env:\n      - name: PLUGIN_SUFFIX\n        value: kc\n"
         "      interactiveMode: Never\n";
  const RestConfig config = Kubeconfig::LoadFile(config_path).ToRestConfig();
  EXPECT_EQ(config.credentials->BearerToken(), "tok-1-kc");
}

TEST_F(ExecPluginTest, KubeconfigExecErrorsNameTheField) {
  const fs::path config_path = dir_ / "config";
  std::ofstream(config_path) << "users:\n- name: u\n  user:\n    exec:\n"
                                "      apiVersion: client.authentication.k8s.io/v1alpha1\n"
                                "      command: x\n";
  try {
    Kubeconfig::LoadFile(config_path);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("users[0] \"u\": user: exec: apiVersion"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace numalign::kube
