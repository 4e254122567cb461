#pragma once

#include <memory>
#include <optional>
#include <string>

#include "agent/health/agent_endpoints.h"
#include "common/http/http_server.h"

namespace numalign::agent {

// A listener's address as given to --metrics-bind-address.
struct BindAddress {
  std::string host;  // an IP address; "0.0.0.0" when the flag leaves it out
  unsigned short port = 0;
};

// Reads --metrics-bind-address: "HOST:PORT", ":PORT" (all interfaces) or "[V6]:PORT". Nullopt
// with `error` naming what is wrong.
std::optional<BindAddress> ParseMetricsBindAddress(const std::string& value, std::string* error);

// The agent's HTTP listeners on common/http: the probe port (--health-port, all interfaces,
// 0 picks a free port) with /healthz, /readyz and /metrics, and, when --metrics-bind-address
// is set, a second listener that serves /metrics alone (the probe port then does not).
class AgentServers {
 public:
  AgentServers(int health_port, std::optional<BindAddress> metrics, AgentEndpointSources sources);
  ~AgentServers();
  AgentServers(const AgentServers&) = delete;
  AgentServers& operator=(const AgentServers&) = delete;

  // Each binds and serves its listener, or throws std::runtime_error saying which address could
  // not be bound. Separate so the agent can tell a bad --metrics-bind-address (configuration)
  // from a busy --health-port (start-up). StartMetrics does nothing without a metrics address.
  void StartMetrics();
  void StartHealth();
  void Stop();

  // The bound ports once started (useful with port 0); nullopt for no metrics listener.
  unsigned short health_port() const;
  std::optional<unsigned short> metrics_port() const;

 private:
  AgentEndpointSources sources_;
  std::unique_ptr<http::HttpServer> health_;
  std::unique_ptr<http::HttpServer> metrics_;
};

}  // namespace numalign::agent
