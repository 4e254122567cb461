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
