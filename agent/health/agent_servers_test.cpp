#include "agent/health/agent_servers.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "agent/health/agent_metrics.h"

namespace numalign::agent {
namespace {

// One request on its own connection ("Connection: close", so the server ends it and the reply
// is everything up to EOF). "connect failed" when nothing listens.
std::string Request(unsigned short port, const std::string& method, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "connect failed";
  }
  const std::string request =
      method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  (void)::send(fd, request.data(), request.size(), 0);
  std::string response;
  char buffer[4096];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) response.append(buffer, n);
  ::close(fd);
  return response;
}

std::string Get(unsigned short port, const std::string& path) {
  return Request(port, "GET", path);
}

std::string Body(const std::string& response) {
  const auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

TEST(AgentServers, ServeProbesAndMetricsOnTheHealthPort) {
  AgentMetrics metrics;
  metrics.pinning_requests_total = 3;
  std::atomic<bool> ready{false};
  AgentServers servers(0, std::nullopt,
                       {.ready = [&] { return ready.load(); },
                        .not_ready_text = "waiting for the pod list and first pinning\n",
                        .metrics = [&] { return metrics.RenderPrometheus(); }});
  servers.StartMetrics();  // no --metrics-bind-address: nothing to start
  servers.StartHealth();
  EXPECT_FALSE(servers.metrics_port());
  const unsigned short port = servers.health_port();
  ASSERT_NE(port, 0);

  const std::string healthz = Get(port, "/healthz");
  EXPECT_EQ(healthz.rfind("HTTP/1.1 200 OK", 0), 0U) << healthz;
  EXPECT_EQ(Body(healthz), "ok\n");
  const std::string not_ready = Get(port, "/readyz");
  EXPECT_EQ(not_ready.rfind("HTTP/1.1 503", 0), 0U) << not_ready;
  EXPECT_EQ(Body(not_ready), "waiting for the pod list and first pinning\n");
  ready = true;
  const std::string is_ready = Get(port, "/readyz?verbose");
  EXPECT_EQ(is_ready.rfind("HTTP/1.1 200", 0), 0U) << is_ready;
  EXPECT_EQ(Body(is_ready), "ok\n");

  const std::string m = Get(port, "/metrics");
  EXPECT_EQ(m.rfind("HTTP/1.1 200", 0), 0U) << m;
  EXPECT_NE(m.find("Content-Type: text/plain; version=0.0.4\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("memory_manager_pinning_requests_total 3\n"), std::string::npos) << m;
  EXPECT_NE(m.find("# TYPE memory_manager_pinning_errors_total counter"), std::string::npos);
  EXPECT_EQ(Get(port, "/nope").rfind("HTTP/1.1 404", 0), 0U);
  EXPECT_EQ(Request(port, "POST", "/healthz").rfind("HTTP/1.1 405", 0), 0U);
  servers.Stop();
  EXPECT_EQ(Get(port, "/healthz"), "connect failed");
}

TEST(AgentServers, MetricsBindAddressMovesMetricsToItsOwnListener) {
  AgentServers servers(0, BindAddress{"127.0.0.1", 0},
                       {.ready = [] { return true; },
                        .not_ready_text = "",
                        .metrics = [] { return std::string("numalign_up 1\n"); }});
  servers.StartMetrics();
  servers.StartHealth();
  ASSERT_TRUE(servers.metrics_port());
  EXPECT_NE(*servers.metrics_port(), servers.health_port());

  const std::string scrape = Get(*servers.metrics_port(), "/metrics");
  EXPECT_EQ(scrape.rfind("HTTP/1.1 200", 0), 0U) << scrape;
  EXPECT_EQ(Body(scrape), "numalign_up 1\n");
  EXPECT_EQ(Get(*servers.metrics_port(), "/healthz").rfind("HTTP/1.1 404", 0), 0U);
  EXPECT_EQ(Get(servers.health_port(), "/metrics").rfind("HTTP/1.1 404", 0), 0U);
  EXPECT_EQ(Get(servers.health_port(), "/healthz").rfind("HTTP/1.1 200", 0), 0U);
}

TEST(AgentServers, ABusyPortFailsToStart) {
  AgentServers first(0, std::nullopt, {});
  first.StartHealth();
  AgentServers second(0, BindAddress{"127.0.0.1", first.health_port()}, {});
  EXPECT_THROW(second.StartMetrics(), std::runtime_error);
}

TEST(ParseMetricsBindAddress, HostPortColonPortAndBracketedV6) {
  std::string error;
  auto full = ParseMetricsBindAddress("127.0.0.1:9090", &error);
  ASSERT_TRUE(full) << error;
  EXPECT_EQ(full->host, "127.0.0.1");
  EXPECT_EQ(full->port, 9090);
  auto all = ParseMetricsBindAddress(":8080", &error);
  ASSERT_TRUE(all) << error;
  EXPECT_EQ(all->host, "0.0.0.0");
  EXPECT_EQ(all->port, 8080);
  auto v6 = ParseMetricsBindAddress("[::1]:9100", &error);
  ASSERT_TRUE(v6) << error;
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9100);
}

TEST(ParseMetricsBindAddress, RejectsAMissingOrBadPort) {
  for (const std::string bad : {"9090", "host:", "host:http", "host:70000", "host:90x"}) {
    std::string error;
    EXPECT_FALSE(ParseMetricsBindAddress(bad, &error)) << bad;
    EXPECT_NE(error.find(bad), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace numalign::agent
