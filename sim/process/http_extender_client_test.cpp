#include "sim/process/http_extender_client.h"

#include <gtest/gtest.h>

#include "common/http/http_server.h"
#include "common/metrics/registry.h"
#include "extender/server/extender_service.h"
#include "extender/server/router.h"
#include "extender/testing/fake_decider.h"
#include "sim/process/local_port.h"

namespace numalign::sim::process {
namespace {

using extender::testing::FakeDecider;

// numalign-extender's serving stack (router, service, Beast server) over a scripted decider.
class ScriptedExtender {
 public:
  ScriptedExtender()
      : metrics_(registry_),
        service_(decider_, metrics_, {}),
        router_("/numalign", service_, metrics_, [] { return true; }),
        server_(
            Options(), [this](const http::HttpRequest& r) { return router_.handle(r); },
            &metrics_) {
    server_.start();
  }
  ~ScriptedExtender() { server_.stop(); }
  FakeDecider& decider() { return decider_; }
  unsigned short port() const { return server_.port(); }

 private:
  static http::ServerOptions Options() {
    http::ServerOptions o;
    o.bind_address = "127.0.0.1";
    o.port = 0;
    return o;
  }
  metrics::Registry registry_;
  extender::ServiceMetrics metrics_;
  FakeDecider decider_;
  extender::ExtenderService service_;
  extender::Router router_;
  http::HttpServer server_;
};

extender::protocol::ExtenderArgs Args(std::vector<std::string> nodes) {
  extender::protocol::ExtenderArgs args;
  args.pod = {{"metadata", {{"name", "p"}, {"namespace", "default"}, {"uid", "u-1"}}},
              {"spec", {{"containers", nlohmann::json::array()}}}};
  args.nodes.names = std::move(nodes);
  return args;
}

HttpExtenderClient::Options At(unsigned short port) {
  HttpExtenderClient::Options o;
  o.port = port;
  o.weight = 3;
  return o;
}

TEST(HttpExtenderClient, SpeaksTheSchedulersProtocolOnOneConnection) {
  ScriptedExtender extender;
  FakeDecider::Script script;
  script.failed = {{"b", "Insufficient NUMA resources"}};
  script.scores = {{"a", 7}};
  extender.decider().set_script(script);
  HttpExtenderClient client(At(extender.port()));
  EXPECT_EQ(client.Weight(), 3);

  auto filtered = client.Filter(Args({"a", "b"}));
  EXPECT_EQ(filtered.error, "");
  EXPECT_EQ(filtered.node_names, std::vector<std::string>{"a"});
  EXPECT_EQ(filtered.failed_nodes.at("b"), "Insufficient NUMA resources");

  auto scores = client.Prioritize(Args({"a"}));
  EXPECT_EQ(scores.error, "");
  ASSERT_EQ(scores.scores.size(), 1U);
  EXPECT_EQ(scores.scores[0], (extender::protocol::HostPriority{"a", 7}));

  auto bound = client.Bind({"p", "default", "u-1", "a"});
  EXPECT_EQ(bound.error, "");
  const auto calls = extender.decider().calls();
  ASSERT_EQ(calls.binds.size(), 1U);
  EXPECT_EQ(calls.binds[0], (extender::protocol::BindingArgs{"p", "default", "u-1", "a"}));
  EXPECT_EQ(calls.filter_node_cache_capable, std::vector<bool>{true});

  EXPECT_EQ(client.latency_us().size(), 3U);
  for (double us : client.latency_us()) EXPECT_GT(us, 0);
  EXPECT_EQ(client.connections_opened(), 1) << "keep-alive, as kube-scheduler's Go client";
}

TEST(HttpExtenderClient, ExtenderErrorsComeBackInTheReply) {
  ScriptedExtender extender;
  FakeDecider::Script script;
  script.filter_error = "view not synced";
  script.prioritize_error = "boom";
  script.bind_failures = 1;
  extender.decider().set_script(script);
  HttpExtenderClient client(At(extender.port()));
  EXPECT_EQ(client.Filter(Args({"a"})).error, "view not synced");
  EXPECT_NE(client.Prioritize(Args({"a"})).error.find("HTTP 500"), std::string::npos);
  EXPECT_EQ(client.Bind({"p", "default", "u-1", "a"}).error, "binding rejected");
}

TEST(HttpExtenderClient, AnUnreachableExtenderIsAnErrorNotAnException) {
  HttpExtenderClient client(At(FreeLocalPort()));
  EXPECT_NE(client.Filter(Args({"a"})).error, "");
  EXPECT_NE(client.Prioritize(Args({"a"})).error, "");
  EXPECT_NE(client.Bind({"p", "default", "u-1", "a"}).error, "");
  EXPECT_EQ(client.latency_us().size(), 3U);
}

}  // namespace
}  // namespace numalign::sim::process
