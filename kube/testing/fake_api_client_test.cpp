#include "kube/testing/fake_api_client.h"

#include <gtest/gtest.h>

#include "kube/informer/informer.h"
#include "kube/objects/object_meta.h"
#include "kube/rest/api_error.h"
#include "kube/rest/pager.h"
#include "kube/rest/pod_actions.h"

namespace numalign::kube {
namespace {

using namespace std::chrono_literals;

Json Pod(const std::string& name, const std::string& node = "") {
  Json pod = {{"metadata", {{"name", name}, {"labels", {{"app", "web"}}}}},
              {"spec", Json::object()}};
  if (!node.empty()) pod["spec"]["nodeName"] = node;
  return pod;
}

template <typename F>
ApiError ErrorOf(F&& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e;
  }
  return ApiError(0, "", "no error");
}

TEST(FakeApiClientTest, CrudAndOptimisticConcurrency) {
  FakeApiClient client;
  const Json created = client.Create(resources::Pods(), "demo", Pod("web"));
  EXPECT_EQ(NamespaceOf(created), "demo");
  EXPECT_FALSE(UidOf(created).empty());
  EXPECT_EQ(created["kind"], "Pod");
  EXPECT_TRUE(
      ErrorOf([&] { client.Create(resources::Pods(), "demo", Pod("web")); }).IsAlreadyExists());
  Json stale = created;
  Json fresh = client.Patch(resources::Pods(), "demo", "web", PatchType::kMerge,
                            {{"metadata", {{"labels", {{"tier", "a"}}}}}});
  EXPECT_EQ(LabelsOf(fresh).at("tier"), "a");
  stale["metadata"]["labels"]["x"] = "y";
  EXPECT_TRUE(ErrorOf([&] { client.Update(resources::Pods(), "demo", stale); }).IsConflict());
  fresh["status"]["phase"] = "Running";
  client.Update(resources::Pods(), "demo", fresh, {}, "status");
  EXPECT_EQ(client.Get(resources::Pods(), "demo", "web")["status"]["phase"], "Running");
  DeleteOptions wrong;
  wrong.precondition_uid = "nope";
  EXPECT_TRUE(
      ErrorOf([&] { client.Delete(resources::Pods(), "demo", "web", wrong); }).IsConflict());
  client.Delete(resources::Pods(), "demo", "web");
  EXPECT_TRUE(ErrorOf([&] { client.Get(resources::Pods(), "demo", "web"); }).IsNotFound());
}

TEST(FakeApiClientTest, SelectorsPagingAndGenerateName) {
  FakeApiClient client;
  client.Create(resources::Pods(), "demo", Pod("a", "n1"));
  client.Create(resources::Pods(), "demo", Pod("b", "n2"));
  client.Create(resources::Pods(), "other", Pod("c", "n1"));
  Json generated = {{"metadata", {{"generateName", "gen-"}}}};
  EXPECT_TRUE(NameOf(client.Create(resources::Pods(), "demo", generated)).starts_with("gen-"));
  ListOptions on_n1;
  on_n1.field_selector = "spec.nodeName=n1";
  EXPECT_EQ(ListAll(client, resources::Pods(), "", on_n1, 1).items.size(), 2u);
  ListOptions web;
  web.label_selector = "app=web";
  EXPECT_EQ(ListAll(client, resources::Pods(), "demo", web, 1).items.size(), 2u);
  EXPECT_EQ(ListAll(client, resources::Pods(), "", {}, 2).items.size(), 4u);
}

TEST(FakeApiClientTest, BindingApplyAndJsonPatch) {
  FakeApiClient client;
  client.Create(resources::Pods(), "demo", Pod("web"));
  BindPod(client, "demo", "web", "node-1");
  EXPECT_EQ(StringAt(client.Get(resources::Pods(), "demo", "web"), "/spec/nodeName"), "node-1");
  EXPECT_TRUE(ErrorOf([&] { BindPod(client, "demo", "web", "node-2"); }).IsConflict());
  ApplyOptions apply;
  apply.field_manager = "numalign-agent";
  client.Apply(resources::NodeResourceTopologies(), "", "node-1", {{"zones", Json::array()}},
               apply);
  client.Apply(resources::NodeResourceTopologies(), "", "node-1",
               {{"attributes", Json::array({{{"name", "a"}, {"value", "b"}}})}}, apply);
  const Json nrt = client.Get(resources::NodeResourceTopologies(), "", "node-1");
  EXPECT_TRUE(nrt.contains("zones"));
  EXPECT_EQ(nrt["attributes"][0]["value"], "b");
  EXPECT_TRUE(ErrorOf([&] {
                client.Patch(resources::Pods(), "demo", "web", PatchType::kJson,
                             Json::array({{{"op", "remove"}, {"path", "/nope"}}}));
              }).IsInvalid());
  EXPECT_EQ(client.actions().front(), "POST pods demo/web");
}

TEST(FakeApiClientTest, PutSeedsWithoutAnActionAndFindReportsAbsence) {
  FakeApiClient client;
  Json pod = Pod("web");
  pod["metadata"]["namespace"] = "demo";
  pod["metadata"]["uid"] = "fixed-uid";
  client.Put(resources::Pods(), pod);
  const std::optional<Json> stored = client.Find(resources::Pods(), "demo", "web");
  ASSERT_TRUE(stored);
  EXPECT_EQ(UidOf(*stored), "fixed-uid");
  EXPECT_FALSE(ResourceVersionOf(*stored).empty());
  EXPECT_TRUE(client.actions().empty());
  pod["metadata"]["labels"]["tier"] = "b";
  client.Put(resources::Pods(), pod);
  EXPECT_EQ(LabelsOf(*client.Find(resources::Pods(), "demo", "web")).at("tier"), "b");
  EXPECT_FALSE(client.Find(resources::Pods(), "demo", "other"));
  EXPECT_FALSE(client.Find(resources::Pods(), "elsewhere", "web"));
  Json node = {{"metadata", {{"name", "n1"}}}};
  client.Put(resources::Nodes(), node);
  EXPECT_FALSE(UidOf(*client.Find(resources::Nodes(), "", "n1")).empty());

  client.Delete(resources::Pods(), "demo", "web");
  EXPECT_EQ(client.actions(), std::vector<std::string>{"DELETE pods demo/web"});
  client.ClearActions();
  EXPECT_TRUE(client.actions().empty());
}

TEST(FakeApiClientTest, EvictionDeletesUnlessABudgetBlocksARunningPod) {
  FakeApiClient client;
  Json running = Pod("running");
  running["status"]["phase"] = "Running";
  client.Create(resources::Pods(), "demo", running);
  Json pending = Pod("pending");
  pending["status"]["phase"] = "Pending";
  client.Create(resources::Pods(), "demo", pending);
  client.BlockEviction("demo", "running");
  client.BlockEviction("demo", "pending");
  client.ClearActions();

  const ApiError blocked = ErrorOf([&] { EvictPod(client, "demo", "running"); });
  EXPECT_EQ(blocked.code(), 429);
  EXPECT_TRUE(client.Find(resources::Pods(), "demo", "running"));
  EXPECT_EQ(ErrorOf([&] { EvictPod(client, "demo", "running"); }).code(), 429)
      << "the budget keeps refusing";
  EvictPod(client, "demo", "pending");  // not running: the budget does not apply
  EXPECT_FALSE(client.Find(resources::Pods(), "demo", "pending"));
  EXPECT_TRUE(ErrorOf([&] { EvictPod(client, "demo", "gone"); }).IsNotFound());
  EXPECT_EQ(client.actions(),
            (std::vector<std::string>{
                "POST pods demo/running/eviction", "POST pods demo/running/eviction",
                "POST pods demo/pending/eviction", "POST pods demo/gone/eviction"}));
}

TEST(FakeApiClientTest, EvictionHonoursItsDeletePreconditions) {
  FakeApiClient client;
  const Json created = client.Create(resources::Pods(), "demo", Pod("web"));
  DeleteOptions other_pod;
  other_pod.precondition_uid = "a-predecessor";
  EXPECT_TRUE(ErrorOf([&] { EvictPod(client, "demo", "web", other_pod); }).IsConflict());
  EXPECT_TRUE(client.Find(resources::Pods(), "demo", "web"));
  DeleteOptions this_pod;
  this_pod.precondition_uid = UidOf(created);
  EvictPod(client, "demo", "web", this_pod);
  EXPECT_FALSE(client.Find(resources::Pods(), "demo", "web"));
}

TEST(FakeApiClientTest, InformerOverTheFake) {
  auto client = std::make_shared<FakeApiClient>();
  client->Create(resources::Pods(), "demo", Pod("a"));
  Informer informer(std::make_shared<ApiListerWatcher>(client, resources::Pods()));
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> log;
  auto record = [&](std::string s) {
    std::lock_guard lock(mu);
    log.push_back(std::move(s));
    cv.notify_all();
  };
  informer.AddEventHandler(
      {.on_add = [&](const ObjectPtr& o) { record("add " + NameOf(*o)); },
       .on_update = [&](const ObjectPtr&, const ObjectPtr& o) { record("update " + NameOf(*o)); },
       .on_delete = [&](const ObjectPtr& o) { record("delete " + NameOf(*o)); }});
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(5s));
  client->Create(resources::Pods(), "demo", Pod("b"));
  client->Patch(resources::Pods(), "demo", "a", PatchType::kMerge,
                {{"metadata", {{"labels", {{"x", "1"}}}}}});
  client->DropWatches();
  client->Delete(resources::Pods(), "demo", "b");
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return log.size() >= 4; }));
  EXPECT_EQ(log, (std::vector<std::string>{"add a", "add b", "update a", "delete b"}));
  lock.unlock();
  informer.Stop();
}

}  // namespace
}  // namespace numalign::kube
