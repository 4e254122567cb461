#include "controller/server/controller_servers.h"

#include <gtest/gtest.h>

#include <atomic>

#include "controller/testing/http_get.h"

namespace numalign::controller {
namespace {

using testing::RawGet;

TEST(ControllerServers, ServeProbesAndMetricsOnBothListeners) {
  std::atomic<bool> ready{false};
  EndpointSources sources{
      [] { return std::string(); },
      [&] { return ready ? std::string() : std::string("cluster view not synced"); },
      [] { return std::string("numalign_controller_leader 1\n"); }};
  ControllerServers servers(HostPort{"127.0.0.1", 0}, HostPort{"127.0.0.1", 0}, sources);
  servers.Start();
  ASSERT_TRUE(servers.health_port());
  ASSERT_TRUE(servers.metrics_port());
  EXPECT_NE(*servers.health_port(), *servers.metrics_port());

  const auto not_ready = RawGet(*servers.health_port(), "/readyz");
  EXPECT_EQ(not_ready.rfind("HTTP/1.1 503", 0), 0u) << not_ready;
  EXPECT_NE(not_ready.find("cluster view not synced"), std::string::npos);
  ready = true;
  EXPECT_EQ(RawGet(*servers.health_port(), "/readyz").rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(RawGet(*servers.health_port(), "/healthz").rfind("HTTP/1.1 200", 0), 0u);

  const auto scrape = RawGet(*servers.metrics_port(), "/metrics");
  EXPECT_EQ(scrape.rfind("HTTP/1.1 200", 0), 0u) << scrape;
  EXPECT_NE(scrape.find("text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(scrape.find("numalign_controller_leader 1"), std::string::npos);
  servers.Stop();
  EXPECT_EQ(RawGet(*servers.metrics_port(), "/metrics"), "connect failed");
}

TEST(ControllerServers, AListenerThatIsOffIsNotStarted) {
  ControllerServers servers(std::nullopt, HostPort{"127.0.0.1", 0}, {});
  servers.Start();
  EXPECT_FALSE(servers.health_port());
  EXPECT_TRUE(servers.metrics_port());
}

TEST(ControllerServers, HealthPortFlagZeroIsOffAndOutOfRangeIsAnError) {
  EXPECT_FALSE(HealthListener(0));
  EXPECT_EQ(HealthListener(10258)->port, 10258);
  EXPECT_THROW(HealthListener(70000), std::invalid_argument);
}

}  // namespace
}  // namespace numalign::controller
