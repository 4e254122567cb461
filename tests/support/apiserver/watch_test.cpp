// Watch semantics against the transcripts (file 08): event order and types, replay from a
// resourceVersion, 410 Gone after compaction, bookmarks, timeouts, dropped watches.
#include <gtest/gtest.h>

#include "tests/support/apiserver/test_api_server.h"
#include "tests/support/apiserver/testing_http_client.h"

namespace numalign::test_apiserver {
namespace {

using testing::HttpClient;
using testing::WatchStream;

std::string PodBody(const std::string& name) {
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
         R"(","labels":{"app":"w"}},"spec":{"containers":[{"name":"c","image":"registry.k8s.io/pause:3.10"}]}})";
}

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override { Restart({}); }
  void Restart(TestApiServer::Options options) {
    server_.reset();
    server_ = TestApiServer::Start(options);
    client_ = std::make_unique<HttpClient>(server_->Port());
    ASSERT_EQ(client_
                  ->Post("/api/v1/namespaces",
                         R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"wt"}})")
                  .status,
              201);
  }
  std::string ListRv() {
    return client_->Get("/api/v1/namespaces/wt/pods").json()["metadata"]["resourceVersion"];
  }
  std::unique_ptr<TestApiServer> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(WatchTest, EventsFromAResourceVersionInOrder) {
  ASSERT_EQ(client_->Post("/api/v1/namespaces/wt/pods", PodBody("pre-existing")).status, 201);
  std::string rv = ListRv();
  WatchStream watch(server_->Port(), "/api/v1/namespaces/wt/pods?watch=1&resourceVersion=" + rv +
                                         "&allowWatchBookmarks=true&timeoutSeconds=4");
  EXPECT_EQ(watch.status(), 200);
  EXPECT_EQ(watch.Header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(watch.Header("Content-Type"), "application/json");
  ASSERT_EQ(client_->Post("/api/v1/namespaces/wt/pods", PodBody("w1")).status, 201);
  client_->Patch("/api/v1/namespaces/wt/pods/w1", R"({"metadata":{"labels":{"step":"2"}}})",
                 "application/merge-patch+json");
  client_->Delete("/api/v1/namespaces/wt/pods/w1");
  std::vector<std::string> types;
  std::vector<uint64_t> rvs;
  for (int i = 0; i < 4; ++i) {
    auto event = watch.Next();
    ASSERT_TRUE(event) << "event " << i;
    types.push_back((*event)["type"]);
    rvs.push_back(
        std::stoull((*event)["object"]["metadata"]["resourceVersion"].get<std::string>()));
    EXPECT_EQ((*event)["object"]["kind"], "Pod");
  }
  EXPECT_EQ(types, (std::vector<std::string>{"ADDED", "MODIFIED", "MODIFIED", "DELETED"}));
  EXPECT_TRUE(std::is_sorted(rvs.begin(), rvs.end()));
  EXPECT_EQ(std::adjacent_find(rvs.begin(), rvs.end()), rvs.end());
  // The pre-deadline bookmark, then the end of the stream at timeoutSeconds.
  auto bookmark = watch.Next(std::chrono::seconds(5));
  ASSERT_TRUE(bookmark);
  EXPECT_EQ((*bookmark)["type"], "BOOKMARK");
  EXPECT_EQ((*bookmark)["object"],
            Json::parse(R"({"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":")" +
                        std::to_string(rvs.back()) +
                        R"(","creationTimestamp":null},"spec":{"containers":null},"status":{}})"));
  EXPECT_TRUE(watch.WaitEnded(std::chrono::seconds(5)));
  for (const auto& chunk : watch.raw_chunks()) EXPECT_EQ(chunk.back(), '\n');
}

TEST_F(WatchTest, InitialStateWithoutResourceVersionAndSendInitialEvents) {
  ASSERT_EQ(client_->Post("/api/v1/namespaces/wt/pods", PodBody("pre-existing")).status, 201);
  WatchStream zero(server_->Port(),
                   "/api/v1/namespaces/wt/pods?watch=1&resourceVersion=0&timeoutSeconds=1");
  auto added = zero.Next();
  ASSERT_TRUE(added);
  EXPECT_EQ((*added)["type"], "ADDED");
  EXPECT_EQ((*added)["object"]["metadata"]["name"], "pre-existing");
  WatchStream streaming(
      server_->Port(),
      "/api/v1/namespaces/wt/pods?watch=1&sendInitialEvents=true&"
      "resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1");
  ASSERT_TRUE(streaming.Next());
  auto end = streaming.Next();
  ASSERT_TRUE(end);
  EXPECT_EQ((*end)["type"], "BOOKMARK");
  EXPECT_EQ((*end)["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"], "true");
  auto blueprint = Base64UrlDecode(
      (*end)["object"]["metadata"]["annotations"]["kubernetes.io/initial-events-list-blueprint"]
          .get<std::string>());
  ASSERT_TRUE(blueprint);
  EXPECT_EQ(*blueprint,
            "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":null}\n");
  WatchStream future(
      server_->Port(),
      "/api/v1/namespaces/wt/pods?watch=1&resourceVersion=99999999&timeoutSeconds=1");
  EXPECT_FALSE(future.Next(std::chrono::milliseconds(1500)));
  EXPECT_TRUE(future.WaitEnded(std::chrono::seconds(2)));
}

TEST_F(WatchTest, TooOldResourceVersionIsAnErrorEventAfterCompaction) {
  std::string rv = ListRv();
  ASSERT_EQ(client_->Post("/api/v1/namespaces/wt/pods", PodBody("a")).status, 201);
  server_->CompactHistory();
  WatchStream watch(server_->Port(), "/api/v1/namespaces/wt/pods?watch=1&resourceVersion=" + rv);
  EXPECT_EQ(watch.status(), 200);
  auto error = watch.Next();
  ASSERT_TRUE(error);
  EXPECT_EQ((*error)["type"], "ERROR");
  EXPECT_EQ((*error)["object"]["code"], 410);
  EXPECT_EQ((*error)["object"]["reason"], "Expired");
  EXPECT_EQ((*error)["object"]["message"].get<std::string>().rfind(
                "too old resource version: " + rv + " (", 0),
            0u);
  EXPECT_TRUE(watch.WaitEnded(std::chrono::seconds(2)));
  // Lists at the compacted revision: 410; without a limit they are served current.
  EXPECT_EQ(client_->Get("/api/v1/namespaces/wt/pods?resourceVersion=" + rv + "&limit=2").status,
            410);
  EXPECT_EQ(client_->Get("/api/v1/namespaces/wt/pods?resourceVersion=" + rv).status, 200);
}

TEST_F(WatchTest, BoundedHistoryExpiresOldResourceVersions) {
  TestApiServer::Options options;
  options.history_size = 5;
  Restart(options);
  std::string rv = ListRv();
  for (int i = 0; i < 8; ++i)
    ASSERT_EQ(client_->Post("/api/v1/namespaces/wt/pods", PodBody("p" + std::to_string(i))).status,
              201);
  WatchStream watch(server_->Port(), "/api/v1/namespaces/wt/pods?watch=1&resourceVersion=" + rv);
  auto error = watch.Next();
  ASSERT_TRUE(error);
  EXPECT_EQ((*error)["type"], "ERROR");
}

TEST_F(WatchTest, PeriodicBookmarksAndSelectorTransitions) {
  TestApiServer::Options options;
  options.bookmark_interval = std::chrono::milliseconds(300);
  Restart(options);
  WatchStream watch(server_->Port(),
                    "/api/v1/namespaces/wt/pods?watch=1&resourceVersion=" + ListRv() +
                        "&allowWatchBookmarks=true&labelSelector=app%3Dw&timeoutSeconds=30");
  auto bookmark = watch.Next(std::chrono::seconds(2));
  ASSERT_TRUE(bookmark);
  EXPECT_EQ((*bookmark)["type"], "BOOKMARK");
  ASSERT_EQ(client_->Post("/api/v1/namespaces/wt/pods", PodBody("sel")).status, 201);
  // Leaving the selector is a DELETED for this watcher.
  client_->Patch("/api/v1/namespaces/wt/pods/sel", R"({"metadata":{"labels":{"app":"other"}}})",
                 "application/merge-patch+json");
  std::vector<std::string> types;
  for (int i = 0; i < 10 && types.size() < 2; ++i) {
    auto event = watch.Next(std::chrono::seconds(2));
    ASSERT_TRUE(event);
    if ((*event)["type"] != "BOOKMARK") types.push_back((*event)["type"]);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"ADDED", "DELETED"}));
}

TEST_F(WatchTest, DropAllWatchesEndsStreams) {
  WatchStream watch(server_->Port(),
                    "/api/v1/namespaces/wt/pods?watch=1&resourceVersion=" + ListRv());
  EXPECT_EQ(watch.status(), 200);
  server_->DropAllWatches();
  EXPECT_TRUE(watch.WaitEnded(std::chrono::seconds(3)));
  WatchStream again(server_->Port(),
                    "/api/v1/namespaces/wt/pods?watch=1&resourceVersion=" + ListRv());
  EXPECT_EQ(again.status(), 200);
  EXPECT_EQ(client_->Post("/__testing/drop-watches", "").status, 200);
  EXPECT_TRUE(again.WaitEnded(std::chrono::seconds(3)));
}

TEST_F(WatchTest, WatchAsTableForKubectlGetW) {
  WatchStream watch(server_->Port(),
                    "/api/v1/namespaces/wt/pods?watch=1&resourceVersion=0&timeoutSeconds=3",
                    {{"Accept",
                      "application/json;as=Table;v=v1;g=meta.k8s.io,application/"
                      "json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"}});
  ASSERT_EQ(client_->Post("/api/v1/namespaces/wt/pods", PodBody("t")).status, 201);
  auto event = watch.Next();
  ASSERT_TRUE(event);
  EXPECT_EQ((*event)["object"]["kind"], "Table");
  EXPECT_EQ((*event)["object"]["rows"].size(), 1u);
  EXPECT_EQ((*event)["object"]["rows"][0]["cells"][0], "t");
}

}  // namespace
}  // namespace numalign::test_apiserver
