#include "kube/rest/rest_client.h"

#include <gtest/gtest.h>

#include <thread>

#include "kube/errors.h"
#include "kube/rest/api_error.h"
#include "kube/rest/pager.h"
#include "kube/rest/pod_actions.h"
#include "kube/transport/fake_transport.h"

namespace numalign::kube {
namespace {

using std::chrono::seconds;

const std::string kPod =
    R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"web","namespace":"demo","resourceVersion":"7"}})"
    "\n";

std::string Status(int code, const std::string& reason, const std::string& message = "m") {
  return R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":")" +
         message + R"(","reason":")" + reason + R"(","code":)" + std::to_string(code) + "}\n";
}

class CountingCredentials final : public CredentialProvider {
 public:
  std::string BearerToken() override { return "token-" + std::to_string(generation); }
  void Invalidate() override { ++generation; }
  int generation = 1;
};

class RestClientTest : public ::testing::Test {
 protected:
  RestClientTest() {
    clock->SetAutoAdvance(true);
    options.user_agent = "numalign-test/0.1.0 (linux/amd64)";
    options.qps = 0;
    options.backoff = {std::chrono::milliseconds(100), seconds(2), 2.0, 0.0};
  }
  RestClient Client() { return RestClient(transport, credentials, options, clock); }

  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  std::shared_ptr<CountingCredentials> credentials = std::make_shared<CountingCredentials>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  ClientOptions options;
};

TEST_F(RestClientTest, GetBuildsPathAndHeaders) {
  transport->EnqueueJson(200, kPod);
  auto client = Client();
  const Json pod = client.Get(resources::Pods(), "demo", "web");
  EXPECT_EQ(pod["metadata"]["resourceVersion"], "7");
  const auto req = transport->requests().at(0);
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.path, "/api/v1/namespaces/demo/pods/web");
  EXPECT_EQ(req.headers.at("authorization"), "Bearer token-1");
  EXPECT_EQ(req.headers.at("User-Agent"), "numalign-test/0.1.0 (linux/amd64)");
  EXPECT_EQ(req.headers.at("Accept"), "application/json");
}

TEST_F(RestClientTest, PathsForGroupsAndClusterScope) {
  transport->SetHandler([](const HttpRequest&) { return HttpResponse{200, {}, "{}"}; });
  auto client = Client();
  client.Get(resources::NodeResourceTopologies(), "", "node-a");
  client.Get(resources::Leases(), "kube-system", "numalign");
  client.Get(resources::Pods(), "demo", "web", "status");
  const auto reqs = transport->requests();
  EXPECT_EQ(reqs[0].path, "/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies/node-a");
  EXPECT_EQ(reqs[1].path, "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/numalign");
  EXPECT_EQ(reqs[2].path, "/api/v1/namespaces/demo/pods/web/status");
  EXPECT_THROW(client.Get(resources::Pods(), "", "web"), std::invalid_argument);
}

TEST_F(RestClientTest, ErrorsBecomeTypedApiErrors) {
  transport->EnqueueJson(404, Status(404, "NotFound", "pods web not found"));
  auto client = Client();
  try {
    client.Get(resources::Pods(), "demo", "web");
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_TRUE(e.IsNotFound());
    EXPECT_EQ(e.message(), "pods web not found");
  }
}

TEST_F(RestClientTest, UpdateConflictIsSurfacedNotRetried) {
  transport->EnqueueJson(409, Status(409, "Conflict"));
  auto client = Client();
  Json pod = Json::parse(kPod);
  try {
    client.Update(resources::Pods(), "demo", pod);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_TRUE(e.IsConflict());
  }
  EXPECT_EQ(transport->request_count(), 1u);
  EXPECT_EQ(transport->requests()[0].method, "PUT");
  EXPECT_EQ(transport->requests()[0].path, "/api/v1/namespaces/demo/pods/web");
}

TEST_F(RestClientTest, ConnectionErrorsRetryIdempotentVerbsWithBackoff) {
  transport->EnqueueConnectionError();
  transport->EnqueueConnectionError();
  transport->EnqueueJson(200, kPod);
  auto client = Client();
  EXPECT_NO_THROW(client.Get(resources::Pods(), "demo", "web"));
  EXPECT_EQ(transport->request_count(), 3u);
  const auto sleeps = clock->sleeps();
  ASSERT_EQ(sleeps.size(), 2u);
  EXPECT_EQ(sleeps[0], std::chrono::milliseconds(100));
  EXPECT_EQ(sleeps[1], std::chrono::milliseconds(200));
}

TEST_F(RestClientTest, ConnectionErrorsDoNotRetryPost) {
  transport->EnqueueConnectionError();
  auto client = Client();
  EXPECT_THROW(client.Create(resources::Pods(), "demo", Json::parse(kPod)), TransportError);
  EXPECT_EQ(transport->request_count(), 1u);
}

TEST_F(RestClientTest, RetriesGiveUpAfterMaxRetries) {
  options.max_retries = 2;
  for (int i = 0; i < 5; ++i) transport->EnqueueConnectionError();
  auto client = Client();
  EXPECT_THROW(client.Get(resources::Pods(), "demo", "web"), TransportError);
  EXPECT_EQ(transport->request_count(), 3u);
}

TEST_F(RestClientTest, TooManyRequestsHonoursRetryAfterForEveryVerb) {
  transport->EnqueueJson(429, Status(429, "TooManyRequests"), {{"Retry-After", "3"}});
  transport->EnqueueJson(201, kPod);
  auto client = Client();
  client.Create(resources::Pods(), "demo", Json::parse(kPod));
  EXPECT_EQ(transport->request_count(), 2u);
  ASSERT_EQ(clock->sleeps().size(), 1u);
  EXPECT_EQ(clock->sleeps()[0], seconds(3));
}

TEST_F(RestClientTest, RetryAfterIsCapped) {
  options.max_retry_after = seconds(10);
  transport->EnqueueJson(429, Status(429, "TooManyRequests"), {{"Retry-After", "3600"}});
  transport->EnqueueJson(200, kPod);
  auto client = Client();
  client.Get(resources::Pods(), "demo", "web");
  EXPECT_EQ(clock->sleeps().at(0), seconds(10));
}

TEST_F(RestClientTest, ServerErrorsRetryOnlyIdempotentVerbs) {
  transport->EnqueueJson(503, Status(503, "ServiceUnavailable"));
  transport->EnqueueJson(200, kPod);
  auto client = Client();
  EXPECT_NO_THROW(client.Get(resources::Pods(), "demo", "web"));
  EXPECT_EQ(transport->request_count(), 2u);

  transport->EnqueueJson(500, Status(500, "InternalError"));
  try {
    client.Patch(resources::Pods(), "demo", "web", PatchType::kMerge,
                 {{"metadata", Json::object()}});
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), 500);
  }
  EXPECT_EQ(transport->request_count(), 3u);
}

TEST_F(RestClientTest, UnauthorizedRefreshesCredentialsOnce) {
  transport->EnqueueJson(401, Status(401, "Unauthorized"));
  transport->EnqueueJson(200, kPod);
  auto client = Client();
  client.Get(resources::Pods(), "demo", "web");
  const auto reqs = transport->requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].headers.at("Authorization"), "Bearer token-1");
  EXPECT_EQ(reqs[1].headers.at("Authorization"), "Bearer token-2");

  transport->EnqueueJson(401, Status(401, "Unauthorized"));
  transport->EnqueueJson(401, Status(401, "Unauthorized"));
  try {
    client.Get(resources::Pods(), "demo", "web");
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_TRUE(e.IsUnauthorized());
  }
}

TEST_F(RestClientTest, MalformedSuccessBodyIsADecodeError) {
  transport->EnqueueJson(200, "{\"kind\":\"Pod\",");
  auto client = Client();
  EXPECT_THROW(client.Get(resources::Pods(), "demo", "web"), DecodeError);
  transport->EnqueueJson(200, R"({"kind":"PodList"})");
  EXPECT_THROW(client.List(resources::Pods(), "demo"), DecodeError);
}

TEST_F(RestClientTest, ListEncodesSelectorsAndFillsKinds) {
  transport->EnqueueJson(
      200,
      R"({"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"99"},"items":[{"metadata":{"name":"a","namespace":"demo"}}]})");
  auto client = Client();
  ListOptions list_options;
  list_options.label_selector = "app=web,tier in (a,b)";
  list_options.field_selector = "spec.nodeName=node-1";
  const Json list = client.List(resources::Pods(), "", list_options);
  EXPECT_EQ(transport->requests()[0].path,
            "/api/v1/pods?labelSelector=app%3Dweb%2Ctier%20in%20%28a%2Cb%29&fieldSelector=spec."
            "nodeName%3Dnode-1");
  EXPECT_EQ(list["items"][0]["kind"], "Pod");
  EXPECT_EQ(list["items"][0]["apiVersion"], "v1");
}

TEST_F(RestClientTest, ListAllFollowsContinueTokens) {
  transport->EnqueueJson(
      200,
      R"({"kind":"PodList","metadata":{"resourceVersion":"50","continue":"tok1","remainingItemCount":2},"items":[{"metadata":{"name":"a"}}]})");
  transport->EnqueueJson(
      200,
      R"({"kind":"PodList","metadata":{"resourceVersion":"50","continue":"tok2","remainingItemCount":1},"items":[{"metadata":{"name":"b"}}]})");
  transport->EnqueueJson(
      200,
      R"({"kind":"PodList","metadata":{"resourceVersion":"50"},"items":[{"metadata":{"name":"c"}}]})");
  auto client = Client();
  const ListResult all = ListAll(client, resources::Pods(), "demo", {}, 1);
  ASSERT_EQ(all.items.size(), 3u);
  EXPECT_EQ(all.items[2]["metadata"]["name"], "c");
  EXPECT_EQ(all.resource_version, "50");
  const auto reqs = transport->requests();
  EXPECT_EQ(reqs[0].path, "/api/v1/namespaces/demo/pods?limit=1");
  EXPECT_EQ(reqs[1].path, "/api/v1/namespaces/demo/pods?limit=1&continue=tok1");
  EXPECT_EQ(reqs[2].path, "/api/v1/namespaces/demo/pods?limit=1&continue=tok2");
}

TEST_F(RestClientTest, ListAllRestartsWhenTheContinueTokenExpires) {
  transport->EnqueueJson(
      200,
      R"({"kind":"PodList","metadata":{"resourceVersion":"50","continue":"tok1"},"items":[{"metadata":{"name":"a"}}]})");
  transport->EnqueueJson(410, Status(410, "Expired", "The provided continue parameter is too old"));
  transport->EnqueueJson(
      200,
      R"({"kind":"PodList","metadata":{"resourceVersion":"80"},"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]})");
  auto client = Client();
  const ListResult all = ListAll(client, resources::Pods(), "demo", {}, 1);
  EXPECT_EQ(all.items.size(), 2u);
  EXPECT_EQ(all.resource_version, "80");
}

TEST_F(RestClientTest, CreateWithGenerateNamePostsToTheCollection) {
  transport->EnqueueJson(201, kPod);
  auto client = Client();
  const Json pod = {
      {"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"generateName", "web-"}}}};
  client.Create(resources::Pods(), "demo", pod, {.field_manager = "numalign", .dry_run = false});
  const auto req = transport->requests()[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path, "/api/v1/namespaces/demo/pods?fieldManager=numalign");
  EXPECT_EQ(Json::parse(req.body)["metadata"]["generateName"], "web-");
  EXPECT_EQ(req.headers.at("Content-Type"), "application/json");
}

TEST_F(RestClientTest, PatchAndApplyContentTypes) {
  transport->SetHandler([](const HttpRequest&) { return HttpResponse{200, {}, "{}"}; });
  auto client = Client();
  client.Patch(resources::Nodes(), "", "n1", PatchType::kMerge,
               {{"metadata", {{"labels", {{"a", "b"}}}}}});
  client.Patch(resources::Nodes(), "", "n1", PatchType::kJson,
               Json::array({{{"op", "add"}, {"path", "/metadata/labels/a"}, {"value", "b"}}}));
  client.Patch(resources::Nodes(), "", "n1", PatchType::kStrategicMerge, Json::object());
  client.Apply(resources::NodeResourceTopologies(), "", "n1", {{"zones", Json::array()}},
               {.field_manager = "numalign-agent", .force = true, .dry_run = false});
  const auto reqs = transport->requests();
  EXPECT_EQ(reqs[0].headers.at("Content-Type"), "application/merge-patch+json");
  EXPECT_EQ(reqs[1].headers.at("Content-Type"), "application/json-patch+json");
  EXPECT_EQ(reqs[2].headers.at("Content-Type"), "application/strategic-merge-patch+json");
  EXPECT_EQ(reqs[3].method, "PATCH");
  EXPECT_EQ(reqs[3].headers.at("Content-Type"), "application/apply-patch+yaml");
  EXPECT_EQ(reqs[3].path,
            "/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies/"
            "n1?fieldManager=numalign-agent&force=true");
  EXPECT_THROW(client.Apply(resources::Nodes(), "", "n1", Json::object(), {}),
               std::invalid_argument);
}

TEST_F(RestClientTest, DeleteSendsPreconditionsAndPropagation) {
  transport->EnqueueJson(200, kPod);
  auto client = Client();
  DeleteOptions delete_options;
  delete_options.precondition_uid = "u-1";
  delete_options.precondition_resource_version = "7";
  delete_options.propagation_policy = "Foreground";
  client.Delete(resources::Pods(), "demo", "web", delete_options);
  const auto req = transport->requests()[0];
  EXPECT_EQ(req.method, "DELETE");
  const Json body = Json::parse(req.body);
  EXPECT_EQ(body["preconditions"]["uid"], "u-1");
  EXPECT_EQ(body["preconditions"]["resourceVersion"], "7");
  EXPECT_EQ(body["propagationPolicy"], "Foreground");
}

TEST_F(RestClientTest, BindingAndEviction) {
  transport->SetHandler([](const HttpRequest&) {
    return HttpResponse{
        201,
        {},
        R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201})"};
  });
  auto client = Client();
  BindPod(client, "demo", "web", "node-1", "uid-1");
  EvictPod(client, "demo", "web");
  const auto reqs = transport->requests();
  EXPECT_EQ(reqs[0].path, "/api/v1/namespaces/demo/pods/web/binding");
  const Json binding = Json::parse(reqs[0].body);
  EXPECT_EQ(binding["kind"], "Binding");
  EXPECT_EQ(binding["target"]["name"], "node-1");
  EXPECT_EQ(binding["metadata"]["uid"], "uid-1");
  EXPECT_EQ(reqs[1].path, "/api/v1/namespaces/demo/pods/web/eviction");
  EXPECT_EQ(Json::parse(reqs[1].body)["apiVersion"], "policy/v1");
}

TEST_F(RestClientTest, WatchStreamsEventsAcrossChunks) {
  auto stream = std::make_shared<FakeResponseStream>();
  transport->EnqueueStream(stream);
  auto client = Client();
  WatchOptions watch_options;
  watch_options.resource_version = "41";
  watch_options.timeout_seconds = 30;
  auto watch = client.Watch(resources::Pods(), "demo", watch_options);
  EXPECT_EQ(transport->requests()[0].path,
            "/api/v1/namespaces/demo/pods?watch=true&resourceVersion=41&allowWatchBookmarks=true&"
            "timeoutSeconds=30");
  stream->Push(R"({"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"42"}}})"
               "\n{\"type\":\"MOD");
  stream->Push(R"(IFIED","object":{"metadata":{"name":"a","resourceVersion":"43"}}})"
               "\n");
  stream->Finish();
  auto first = watch->Next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->type, WatchEventType::kAdded);
  auto second = watch->Next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->type, WatchEventType::kModified);
  EXPECT_FALSE(watch->Next());
}

TEST_F(RestClientTest, WatchStopUnblocksNext) {
  auto stream = std::make_shared<FakeResponseStream>();
  transport->EnqueueStream(stream);
  auto client = Client();
  auto watch = client.Watch(resources::Pods(), "demo");
  std::jthread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    watch->Stop();
  });
  EXPECT_FALSE(watch->Next());
  EXPECT_TRUE(stream->cancelled());
}

TEST_F(RestClientTest, WatchHttpErrorsThrowApiError) {
  auto stream = std::make_shared<FakeResponseStream>(410);
  stream->Push(Status(410, "Expired", "too old"));
  stream->Finish();
  transport->EnqueueStream(stream);
  auto client = Client();
  try {
    client.Watch(resources::Pods(), "demo");
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_TRUE(e.IsGone());
  }
}

TEST_F(RestClientTest, WatchConnectionDropIsATransportError) {
  auto stream = std::make_shared<FakeResponseStream>();
  transport->EnqueueStream(stream);
  auto client = Client();
  auto watch = client.Watch(resources::Pods(), "demo");
  stream->Push(R"({"type":"ADDED","object":{"metadata":{"name":"a"}}})"
               "\n");
  stream->Fail("connection reset by peer");
  EXPECT_TRUE(watch->Next());
  EXPECT_THROW(watch->Next(), TransportError);
}

TEST_F(RestClientTest, RequestsPassTheRateLimiter) {
  options.qps = 5;
  options.burst = 2;
  transport->SetHandler([](const HttpRequest&) { return HttpResponse{200, {}, "{}"}; });
  auto client = Client();
  const auto start = clock->Now();
  for (int i = 0; i < 6; ++i) client.Get(resources::Nodes(), "", "n");
  // 2 immediately, 4 more at 5 qps.
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(clock->Now() - start),
            std::chrono::milliseconds(800));
}

TEST(UserAgentTest, NamesComponentVersionAndPlatform) {
  const std::string ua = DefaultUserAgent("numalign-agent", "0.1.0");
  EXPECT_TRUE(ua.starts_with("numalign-agent/0.1.0 (linux/")) << ua;
  EXPECT_TRUE(ua.ends_with(")"));
}

}  // namespace
}  // namespace numalign::kube
