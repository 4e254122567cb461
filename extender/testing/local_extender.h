#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "common/http/http_server.h"
#include "common/metrics/registry.h"
#include "extender/decider/decider.h"
#include "extender/server/extender_service.h"
#include "extender/server/router.h"

namespace numalign::extender::testing {

// The whole serving stack (metrics, verb handlers, router, HTTP server) around a decider, on
// 127.0.0.1 and a free port: what main() builds, for tests and benchmarks.
class LocalExtender {
 public:
  struct Options {
    std::string url_prefix = "/numalign";
    http::ServerOptions server;  // bind_address and port are overridden to 127.0.0.1:0
    ServiceOptions service;
  };

  LocalExtender(Decider& decider, Options options);
  explicit LocalExtender(Decider& decider) : LocalExtender(decider, Options{}) {}
  ~LocalExtender();

  unsigned short port() const { return server_->port(); }
  // "http(s)://127.0.0.1:<port><prefix>", the scheduler config's urlPrefix.
  std::string url_prefix() const;

  void set_ready(bool ready) { ready_ = ready; }
  metrics::Registry& registry() { return registry_; }
  const Router& router() const { return *router_; }
  void stop() { server_->stop(); }

 private:
  Options options_;
  metrics::Registry registry_;
  ServiceMetrics metrics_;
  std::atomic<bool> ready_{true};
  std::unique_ptr<ExtenderService> service_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace numalign::extender::testing
