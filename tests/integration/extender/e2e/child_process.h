#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace numalign::extender::integration {

// A program (numalign-extender) as a child process listening on
// 127.0.0.1:`port`, its output in a temporary log file. The destructor stops it with SIGTERM
// (SIGKILL after 10 s).
class ChildProcess {
 public:
  // `args` must make the program listen on 127.0.0.1:`port`.
  ChildProcess(const std::string& binary, std::vector<std::string> args, unsigned short port);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  unsigned short port() const { return port_; }
  // Blocks until the port accepts connections; false after `timeout_ms` or if the process died.
  bool WaitServing(int timeout_ms);
  // SIGTERM and wait: the exit status (as from waitpid) or -1.
  int Stop();
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  std::string log_path_;
};

// A port nothing listens on right now (bound to port 0, then released).
unsigned short FreeLoopbackPort();

// numalign-extender on 127.0.0.1 and a free port, with `args` added.
std::unique_ptr<ChildProcess> StartExtender(const std::string& binary,
                                            std::vector<std::string> args);

}  // namespace numalign::extender::integration
