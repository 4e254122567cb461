#include "common/http/http_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "extender/testing/fake_decider.h"
#include "extender/testing/http_client.h"
#include "extender/testing/local_extender.h"

namespace numalign::extender {
namespace {

using namespace std::chrono_literals;
using testing::ClientOptions;
using ::testing::HasSubstr;
using testing::HttpClient;
using testing::LocalExtender;

constexpr auto kTimeout = 5s;
const std::string kFilterBody =
    R"({"Pod":{"metadata":{"name":"p"}},"Nodes":null,"NodeNames":["a","b"]})";

ClientOptions client_for(const LocalExtender& extender) {
  ClientOptions options;
  options.port = extender.port();
  return options;
}

TEST(HttpServer, KeepAliveServesManyRequestsOnOneConnection) {
  testing::FakeDecider decider;
  LocalExtender extender(decider);
  HttpClient client(client_for(extender));
  for (int i = 0; i < 50; ++i) {
    const auto response = client.post("/numalign/filter", kFilterBody, kTimeout);
    ASSERT_EQ(response.status, 200u);
    EXPECT_EQ(response.reused_connection, i > 0);
    EXPECT_EQ(response.content_type, "application/json");
  }
  EXPECT_EQ(client.connections_opened(), 1);
  EXPECT_EQ(decider.calls().filter, 50);
}

TEST(HttpServer, MalformedJsonIs400AndTheConnectionKeepsServing) {
  testing::FakeDecider decider;
  LocalExtender extender(decider);
  HttpClient client(client_for(extender));
  const auto bad = client.post("/numalign/filter", R"({"Pod":{},"NodeNames":[)", kTimeout);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_THAT(bad.body, HasSubstr(R"({"Error":"invalid JSON)"));
  const auto good = client.post("/numalign/filter", kFilterBody, kTimeout);
  EXPECT_EQ(good.status, 200u);
  EXPECT_TRUE(good.reused_connection);
  EXPECT_EQ(decider.calls().filter, 1);
}

TEST(HttpServer, OversizedBodyIs400AndTheServerKeepsServing) {
  testing::FakeDecider decider;
  LocalExtender::Options options;
  options.server.max_request_bytes = 1024;
  LocalExtender extender(decider, options);
  HttpClient client(client_for(extender));
  const auto big = client.post("/numalign/filter", std::string(64 * 1024, ' '), kTimeout);
  EXPECT_EQ(big.status, 400u);
  EXPECT_THAT(big.body, HasSubstr("request body exceeds 1024 bytes"));
  const auto after = client.post("/numalign/filter", kFilterBody, kTimeout);
  EXPECT_EQ(after.status, 200u);
  EXPECT_EQ(decider.calls().filter, 1);
}

TEST(HttpServer, MalformedHttpIs400WithAJsonError) {
  testing::FakeDecider decider;
  LocalExtender extender(decider);
  HttpClient raw(client_for(extender));
  const auto reply = raw.send_raw("NOT HTTP AT ALL\r\n\r\n", kTimeout);
  EXPECT_THAT(reply, HasSubstr("HTTP/1.1 400"));
  EXPECT_THAT(reply, HasSubstr(R"({"Error":"malformed HTTP request)"));
  const auto chunked = raw.send_raw(
      "POST /numalign/filter HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n",
      kTimeout);
  EXPECT_THAT(chunked, HasSubstr("HTTP/1.1 400"));
  HttpClient client(client_for(extender));
  EXPECT_EQ(client.post("/numalign/filter", kFilterBody, kTimeout).status, 200u);
}

TEST(HttpServer, AnswersExpectContinueBeforeTheBody) {
  testing::FakeDecider decider;
  LocalExtender extender(decider);
  HttpClient raw(client_for(extender));
  const auto reply = raw.send_raw(
      "POST /numalign/filter HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\n"
      "Content-Length: " +
          std::to_string(kFilterBody.size()) + "\r\n\r\n" + kFilterBody,
      kTimeout);
  EXPECT_THAT(reply, HasSubstr("HTTP/1.1 100 Continue"));
  EXPECT_THAT(reply, HasSubstr("HTTP/1.1 200 OK"));
  EXPECT_EQ(decider.calls().filter, 1);
}

TEST(HttpServer, ASlowRequestIsCutOffByTheRequestTimeout) {
  testing::FakeDecider decider;
  LocalExtender::Options options;
  options.server.request_timeout = 200ms;
  LocalExtender extender(decider, options);
  HttpClient raw(client_for(extender));
  const auto start = std::chrono::steady_clock::now();
  // Promises 100 bytes, sends 10, then stalls: the server must drop the connection.
  const auto reply = raw.send_raw(
      "POST /numalign/filter HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"Pod\":{},", 5s);
  EXPECT_EQ(reply, "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(decider.calls().filter, 0);
}

TEST(HttpServer, AnIdleConnectionIsClosedAndTheClientReconnects) {
  testing::FakeDecider decider;
  LocalExtender::Options options;
  options.server.idle_timeout = 100ms;
  LocalExtender extender(decider, options);
  HttpClient client(client_for(extender));
  EXPECT_EQ(client.post("/numalign/filter", kFilterBody, kTimeout).status, 200u);
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(client.post("/numalign/filter", kFilterBody, kTimeout).status, 200u);
  EXPECT_EQ(client.connections_opened(), 2);
}

TEST(HttpServer, ADecisionPastTheDeadlineIsAnsweredWithAnError) {
  testing::FakeDecider decider;
  testing::FakeDecider::Script script;
  script.delay = 150ms;
  decider.set_script(script);
  LocalExtender::Options options;
  options.service.decision_timeout = 50ms;
  LocalExtender extender(decider, options);
  HttpClient client(client_for(extender));
  const auto reply = client.post("/numalign/filter", kFilterBody, kTimeout);
  EXPECT_EQ(reply.status, 200u);
  EXPECT_THAT(reply.body, HasSubstr("exceeded the request timeout of 50ms"));
  EXPECT_THAT(reply.body, HasSubstr(R"("NodeNames":[])"));
  const auto metrics = client.get("/metrics", kTimeout);
  EXPECT_THAT(metrics.body,
              HasSubstr("numalign_extender_deadline_overruns_total{verb=\"filter\"} 1"));
}

TEST(HttpServer, ServesConcurrentClients) {
  testing::FakeDecider decider;
  LocalExtender extender(decider);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      HttpClient client(client_for(extender));
      for (int i = 0; i < 50; ++i) {
        if (client.post("/numalign/filter", kFilterBody, kTimeout).status == 200) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, 200);
  EXPECT_EQ(decider.calls().filter, 200);
}

TEST(HttpServer, HealthReadinessAndMetricsOverHttp) {
  testing::FakeDecider decider;
  LocalExtender extender(decider);
  HttpClient client(client_for(extender));
  EXPECT_EQ(client.get("/healthz", kTimeout).status, 200u);
  extender.set_ready(false);
  EXPECT_EQ(client.get("/readyz", kTimeout).status, 503u);
  extender.set_ready(true);
  EXPECT_EQ(client.get("/readyz", kTimeout).status, 200u);
  const auto metrics = client.get("/metrics", kTimeout);
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_THAT(metrics.content_type, HasSubstr("version=0.0.4"));
  EXPECT_THAT(metrics.body, HasSubstr("numalign_extender_open_connections 1"));
}

TEST(HttpServer, StartFailsCleanlyOnABusyPort) {
  testing::FakeDecider decider;
  LocalExtender extender(decider);
  http::ServerOptions options;
  options.bind_address = "127.0.0.1";
  options.port = extender.port();
  http::HttpServer second(options, [](const http::HttpRequest&) { return http::HttpReply{}; });
  EXPECT_THROW(second.start(), std::runtime_error);
}

}  // namespace
}  // namespace numalign::extender
