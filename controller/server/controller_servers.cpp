#include "controller/server/controller_servers.h"

#include <stdexcept>

namespace numalign::controller {

namespace {

std::unique_ptr<http::HttpServer> MakeServer(const std::optional<HostPort>& at,
                                             const EndpointSources& sources) {
  if (!at) return nullptr;
  http::ServerOptions options;
  options.bind_address = at->host;
  options.port = at->port;
  options.threads = 1;  // probes and scrapes: a handful of requests a minute
  return std::make_unique<http::HttpServer>(options, [&sources](const http::HttpRequest& request) {
    return HandleControllerEndpoint(sources, request);
  });
}

}  // namespace

ControllerServers::ControllerServers(std::optional<HostPort> health,
                                     std::optional<HostPort> metrics, EndpointSources sources)
    : sources_(std::move(sources)),
      health_(MakeServer(health, sources_)),
      metrics_(MakeServer(metrics, sources_)) {}

ControllerServers::~ControllerServers() {
  Stop();
}

void ControllerServers::Start() {
  if (health_) health_->start();
  if (metrics_) metrics_->start();
}

void ControllerServers::Stop() {
  if (health_) health_->stop();
  if (metrics_) metrics_->stop();
}

std::optional<unsigned short> ControllerServers::health_port() const {
  if (!health_) return std::nullopt;
  return health_->port();
}

std::optional<unsigned short> ControllerServers::metrics_port() const {
  if (!metrics_) return std::nullopt;
  return metrics_->port();
}

std::optional<HostPort> HealthListener(int health_port) {
  if (health_port == 0) return std::nullopt;
  if (health_port < 0 || health_port > 65535) {
    throw std::invalid_argument("--health-port: want 0..65535, got " + std::to_string(health_port));
  }
  return HostPort{"0.0.0.0", static_cast<unsigned short>(health_port)};
}

}  // namespace numalign::controller
