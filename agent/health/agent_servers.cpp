#include "agent/health/agent_servers.h"

#include <charconv>

namespace numalign::agent {
namespace {

std::unique_ptr<http::HttpServer> MakeServer(const std::string& host, unsigned short port,
                                             const AgentEndpointSources& sources,
                                             AgentRoutes routes) {
  http::ServerOptions options;
  options.bind_address = host;
  options.port = port;
  options.threads = 1;  // probes and scrapes: a handful of requests a minute
  return std::make_unique<http::HttpServer>(options,
                                            [&sources, routes](const http::HttpRequest& request) {
                                              return HandleAgentEndpoint(sources, routes, request);
                                            });
}

}  // namespace

std::optional<BindAddress> ParseMetricsBindAddress(const std::string& value, std::string* error) {
  const auto colon = value.rfind(':');
  if (colon == std::string::npos) {
    *error = "\"" + value + "\": want HOST:PORT";
    return std::nullopt;
  }
  BindAddress address;
  address.host = value.substr(0, colon);
  if (address.host.size() >= 2 && address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  if (address.host.empty()) address.host = "0.0.0.0";
  const std::string port = value.substr(colon + 1);
  unsigned port_number = 0;
  const auto [end, failure] = std::from_chars(port.data(), port.data() + port.size(), port_number);
  if (port.empty() || failure != std::errc() || end != port.data() + port.size() ||
      port_number > 65535) {
    *error = "\"" + value + "\": port must be 0..65535";
    return std::nullopt;
  }
  address.port = static_cast<unsigned short>(port_number);
  return address;
}

AgentServers::AgentServers(int health_port, std::optional<BindAddress> metrics,
                           AgentEndpointSources sources)
    : sources_(std::move(sources)) {
  health_ = MakeServer("0.0.0.0", static_cast<unsigned short>(health_port), sources_,
                       AgentRoutes{.probes = true, .metrics = !metrics});
  if (metrics) {
    metrics_ = MakeServer(metrics->host, metrics->port, sources_,
                          AgentRoutes{.probes = false, .metrics = true});
  }
}

AgentServers::~AgentServers() {
  Stop();
}

void AgentServers::StartMetrics() {
  if (metrics_) metrics_->start();
}

void AgentServers::StartHealth() {
  health_->start();
}

void AgentServers::Stop() {
  health_->stop();
  if (metrics_) metrics_->stop();
}

unsigned short AgentServers::health_port() const {
  return health_->port();
}

std::optional<unsigned short> AgentServers::metrics_port() const {
  if (!metrics_) return std::nullopt;
  return metrics_->port();
}

}  // namespace numalign::agent
