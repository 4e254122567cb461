#include "sim/process/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace numalign::sim::process {

ChildProcess::ChildProcess(std::string name, std::vector<std::string> argv, std::string log_path)
    : name_(std::move(name)), log_path_(std::move(log_path)) {
  if (argv.empty()) throw std::runtime_error(name_ + ": no program given");
  if (::access(argv[0].c_str(), X_OK) != 0) {
    throw std::runtime_error(name_ + ": " + argv[0] +
                             " is not executable: " + std::strerror(errno));
  }
  const int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    throw std::runtime_error(name_ + ": cannot create its log " + log_path_ + ": " +
                             std::strerror(errno));
  }
  // Everything the child needs is prepared before fork: after it, in a multi-threaded parent,
  // only async-signal-safe calls are allowed until exec.
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    const int error = errno;
    ::close(log_fd);
    throw std::runtime_error(name_ + ": fork failed: " + std::strerror(error));
  }
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);  // the parent died before prctl took effect
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s : {SIGTERM, SIGINT, SIGPIPE, SIGHUP}) ::signal(s, SIG_DFL);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    ::execv(args[0], args.data());
    static constexpr char kFailed[] = "exec failed\n";
    (void)!::write(2, kFailed, sizeof(kFailed) - 1);
    ::_exit(127);
  }
  ::close(log_fd);
}

ChildProcess::~ChildProcess() {
  Stop();
}

void ChildProcess::Reap(int status) {
  exited_ = true;
  if (WIFEXITED(status)) {
    exit_description_ = "exited with status " + std::to_string(WEXITSTATUS(status));
  } else if (WIFSIGNALED(status)) {
    exit_description_ = "killed by signal " + std::to_string(WTERMSIG(status));
  } else {
    exit_description_ = "ended";
  }
}

bool ChildProcess::Running() {
  if (exited_ || pid_ <= 0) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) Reap(status);
  return !exited_;
}

std::string ChildProcess::Stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0 || !Running()) return exit_description_;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (Running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (Running()) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    if (::waitpid(pid_, &status, 0) == pid_) Reap(status);
    exit_description_ += " (SIGKILL after " + std::to_string(grace.count()) + " ms)";
  }
  return exit_description_;
}

std::string ChildProcess::LogTail(std::size_t max_bytes) const {
  std::ifstream in(log_path_, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  if (text.size() > max_bytes) text = "..." + text.substr(text.size() - max_bytes);
  return text;
}

}  // namespace numalign::sim::process
