#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>

namespace numalign::agent {

// A minimal HTTP/1.1 server for /healthz, /readyz and /metrics: one request per connection,
// GET only, bodies from callbacks. Kept inside the agent until the shared common/http library
// lands; the probes only need status codes and short bodies.
class HealthServer {
 public:
  struct Response {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
  };
  using Handler = std::function<Response()>;

  HealthServer() = default;
  ~HealthServer();
  HealthServer(const HealthServer&) = delete;
  HealthServer& operator=(const HealthServer&) = delete;

  void Handle(const std::string& path, Handler handler) { handlers_[path] = std::move(handler); }
  // Binds host:port (port 0 picks a free one; see port()). False with `error` on failure.
  bool Start(const std::string& host, int port, std::string* error);
  void Stop();
  int port() const { return port_; }

 private:
  void Serve();
  void Answer(int client);

  std::map<std::string, Handler> handlers_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace numalign::agent
