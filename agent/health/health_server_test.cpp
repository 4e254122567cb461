#include "agent/health/health_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "agent/health/agent_metrics.h"
#include "agent/health/structured_log.h"

namespace numalign::agent {
namespace {

std::string Get(int port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "";
  }
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  (void)::send(fd, request.data(), request.size(), 0);
  std::string response;
  char buffer[4096];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) response.append(buffer, n);
  ::close(fd);
  return response;
}

TEST(HealthServer, ServesHandlersAndStatusCodes) {
  AgentMetrics metrics;
  metrics.pinning_requests_total = 3;
  bool ready = false;
  HealthServer server;
  server.Handle("/healthz", [] { return HealthServer::Response{200, "text/plain", "ok\n"}; });
  server.Handle("/readyz", [&] {
    return HealthServer::Response{ready ? 200 : 503, "text/plain", ""};
  });
  server.Handle("/metrics", [&] {
    return HealthServer::Response{200, "text/plain", metrics.RenderPrometheus()};
  });
  std::string error;
  ASSERT_TRUE(server.Start("127.0.0.1", 0, &error)) << error;
  EXPECT_EQ(Get(server.port(), "/healthz").rfind("HTTP/1.1 200 OK", 0), 0U);
  EXPECT_EQ(Get(server.port(), "/readyz").rfind("HTTP/1.1 503", 0), 0U);
  ready = true;
  EXPECT_EQ(Get(server.port(), "/readyz").rfind("HTTP/1.1 200", 0), 0U);
  const std::string m = Get(server.port(), "/metrics");
  EXPECT_NE(m.find("memory_manager_pinning_requests_total 3\n"), std::string::npos) << m;
  EXPECT_NE(m.find("# TYPE memory_manager_pinning_errors_total counter"), std::string::npos);
  EXPECT_EQ(Get(server.port(), "/nope").rfind("HTTP/1.1 404", 0), 0U);
  server.Stop();
}

TEST(StructuredLog, OneJsonObjectPerLineEvenWithBadUtf8) {
  const std::string line =
      StructuredLog::Format("2026-01-01T00:00:00.000Z", "info", "pod \xff pinned", {{"node", "n"}});
  auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["level"], "info");
  EXPECT_EQ(parsed["node"], "n");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace numalign::agent
