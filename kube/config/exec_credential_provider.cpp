#include "kube/config/exec_credential_provider.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "kube/clock/time_format.h"
#include "kube/errors.h"

extern char** environ;

namespace numalign::kube {

namespace {

// Refresh a little before expiry so a request never carries a token that expires in flight.
constexpr auto kExpirySlack = std::chrono::seconds(10);

struct Pipe {
  int fds[2] = {-1, -1};
  ~Pipe() {
    for (int fd : fds) {
      if (fd >= 0) close(fd);
    }
  }
};

std::vector<std::string> BuildEnvironment(const ExecConfig& config, const std::string& exec_info) {
  std::vector<std::string> env;
  auto overridden = [&](std::string_view entry) {
    const auto eq = entry.find('=');
    const std::string_view name = entry.substr(0, eq);
    if (name == "KUBERNETES_EXEC_INFO") return true;
    for (const auto& [k, v] : config.env) {
      if (k == name) return true;
    }
    return false;
  };
  for (char** e = environ; e && *e; ++e) {
    if (!overridden(*e)) env.emplace_back(*e);
  }
  for (const auto& [k, v] : config.env) env.push_back(k + "=" + v);
  env.push_back("KUBERNETES_EXEC_INFO=" + exec_info);
  return env;
}

}  // namespace

ExecCredentialProvider::ExecCredentialProvider(ExecConfig config, std::shared_ptr<Clock> clock)
    : config_(std::move(config)), clock_(std::move(clock)) {}

std::string ExecCredentialProvider::BearerToken() {
  std::lock_guard lock(mu_);
  if (token_ && (!expiry_ || clock_->Now() + kExpirySlack < *expiry_)) return *token_;
  const std::string output = RunPlugin();
  ++runs_;
  const std::string what = config_.origin + ": plugin " + config_.command;
  nlohmann::json cred = nlohmann::json::parse(output, nullptr, false);
  if (!cred.is_object()) throw ConfigError(what + " did not print an ExecCredential JSON object");
  if (cred.value("kind", "") != "ExecCredential") {
    throw ConfigError(what + " printed kind \"" + cred.value("kind", "") +
                      "\", want ExecCredential");
  }
  if (cred.value("apiVersion", "") != config_.api_version) {
    throw ConfigError(what + " printed apiVersion \"" + cred.value("apiVersion", "") + "\", want " +
                      config_.api_version);
  }
  auto status = cred.find("status");
  if (status == cred.end() || !status->is_object()) {
    throw ConfigError(what + ": ExecCredential has no status");
  }
  std::string token;
  if (auto t = status->find("token"); t != status->end() && t->is_string()) {
    token = t->get<std::string>();
  }
  if (token.empty()) {
    // Certificate-only plugins need the TLS layer to reload certificates, which this client
    // does not do: refuse clearly rather than send unauthenticated requests.
    throw ConfigError(what +
                      ": ExecCredential status has no token (client certificates from "
                      "exec plugins are not supported)");
  }
  std::optional<Clock::TimePoint> expiry;
  if (auto e = status->find("expirationTimestamp"); e != status->end() && e->is_string()) {
    expiry = ParseTime(e->get<std::string>());
    if (!expiry) {
      throw ConfigError(what + ": status.expirationTimestamp \"" + e->get<std::string>() +
                        "\" is not an RFC 3339 time");
    }
  }
  token_ = token;
  expiry_ = expiry;
  return token;
}

void ExecCredentialProvider::Invalidate() {
  std::lock_guard lock(mu_);
  token_.reset();
  expiry_.reset();
}

int ExecCredentialProvider::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

std::string ExecCredentialProvider::RunPlugin() const {
  const std::string what = config_.origin + ": plugin " + config_.command;
  std::string command = config_.command;
  if (command.find('/') != std::string::npos && !std::filesystem::path(command).is_absolute()) {
    command = (config_.base_dir / command).lexically_normal().string();
  }
  nlohmann::json spec = {{"interactive", false}};
  if (config_.provide_cluster_info) {
    spec["cluster"] = {{"server", config_.cluster_server},
                       {"certificate-authority-data", config_.cluster_ca_data_base64},
                       {"insecure-skip-tls-verify", config_.cluster_insecure}};
  }
  const nlohmann::json info = {
      {"apiVersion", config_.api_version}, {"kind", "ExecCredential"}, {"spec", spec}};
  std::vector<std::string> env = BuildEnvironment(config_, info.dump());

  std::vector<char*> argv;
  argv.push_back(command.data());
  std::vector<std::string> args = config_.args;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  Pipe out;
  if (pipe2(out.fds, O_CLOEXEC) != 0) throw ConfigError(what + ": pipe: " + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out.fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, command.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    std::string message = what + ": cannot run: " + std::strerror(rc);
    if (!config_.install_hint.empty()) message += "\n" + config_.install_hint;
    throw ConfigError(message);
  }
  close(out.fds[1]);
  out.fds[1] = -1;
  std::string output;
  char buf[4096];
  while (true) {
    const ssize_t n = read(out.fds[0], buf, sizeof buf);
    if (n > 0) {
      output.append(buf, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string how = WIFEXITED(status)
                                ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                : "was killed by signal " + std::to_string(WTERMSIG(status));
    std::string message = what + " " + how;
    if (!config_.install_hint.empty()) message += "\n" + config_.install_hint;
    throw ConfigError(message);
  }
  return output;
}

}  // namespace numalign::kube
