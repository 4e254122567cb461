#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "common/http/http_server.h"
#include "controller/server/bind_address.h"
#include "controller/server/controller_endpoints.h"

namespace numalign::controller {

// The controller's HTTP listeners: the probe port (--health-port, for the kubelet) and the
// metrics address (--metrics-bind-address, for Prometheus). Both serve all three endpoints,
// so a deployment may scrape or probe either; a listener left out (nullopt) is not started.
class ControllerServers {
 public:
  ControllerServers(std::optional<HostPort> health, std::optional<HostPort> metrics,
                    EndpointSources sources);
  ~ControllerServers();
  ControllerServers(const ControllerServers&) = delete;
  ControllerServers& operator=(const ControllerServers&) = delete;

  // Binds and serves; throws std::runtime_error naming the address that could not be bound.
  void Start();
  void Stop();

  // Bound ports after Start() (useful with port 0); nullopt for a listener that is off.
  std::optional<unsigned short> health_port() const;
  std::optional<unsigned short> metrics_port() const;

 private:
  EndpointSources sources_;
  std::unique_ptr<http::HttpServer> health_;
  std::unique_ptr<http::HttpServer> metrics_;
};

// Translates the flags: --health-port 0 and --metrics-bind-address "0" mean off.
std::optional<HostPort> HealthListener(int health_port);

}  // namespace numalign::controller
