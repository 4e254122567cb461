#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace numalign::sim::process {

// One program the process mode runs (an agent, the extender, the controller). Its stdout and
// stderr go to `log_path`; it dies with the thread that started it (PR_SET_PDEATHSIG), so a
// simulator killed with SIGKILL leaves no daemon behind; it starts with default signal
// dispositions and an empty signal mask whatever the simulator's own are.
class ChildProcess {
 public:
  // Starts `argv[0]` (a path) with `argv`. Throws std::runtime_error when it cannot start (not
  // executable, the log file cannot be created).
  ChildProcess(std::string name, std::vector<std::string> argv, std::string log_path);
  ~ChildProcess();  // Stop()
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  const std::string& name() const { return name_; }
  const std::string& log_path() const { return log_path_; }
  pid_t pid() const { return pid_; }

  // True while the process runs; once it has exited, `exit_description` says how.
  bool Running();
  std::string ExitDescription() const { return exit_description_; }

  // SIGTERM, then SIGKILL when it has not exited after `grace`. Returns how it exited. Safe to
  // call more than once.
  std::string Stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  // The last `max_bytes` of its log, for error messages.
  std::string LogTail(std::size_t max_bytes = 2000) const;

 private:
  void Reap(int status);

  std::string name_;
  std::string log_path_;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string exit_description_;
};

}  // namespace numalign::sim::process
