// Runs against the cluster named by KUBECONFIG when set, else against the in-repo test API
// server. Everything is created in a fresh namespace that is deleted at the end.
#include <gtest/gtest.h>

#include <condition_variable>
#include <set>
#include <thread>

#include "kube/informer/informer.h"
#include "kube/leaderelection/leader_elector.h"
#include "kube/objects/node_resource_topology.h"
#include "kube/objects/object_meta.h"
#include "kube/rest/api_error.h"
#include "kube/rest/pager.h"
#include "tests/integration/kube/kube_test_env.h"
#include "tests/support/apiserver/test_api_server.h"

namespace numalign::kube::integration {
namespace {

using namespace std::chrono_literals;

Json ConfigMap(const std::string& name, const std::string& value, const std::string& label = "x") {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"labels", {{"numalign.io/it", label}}}}},
          {"data", {{"value", value}}}};
}

ListOptions Selecting(const std::string& labels, const std::string& fields) {
  ListOptions options;
  options.label_selector = labels;
  options.field_selector = fields;
  return options;
}

class KubeClientIntegrationTest : public ::testing::Test {
 protected:
  KubeTestEnv env;
};

TEST_F(KubeClientIntegrationTest, CrudWithOptimisticConcurrency) {
  auto& client = *env.client();
  const auto& r = resources::ConfigMaps();
  Json created = client.Create(r, env.ns(), ConfigMap("cm-a", "1"));
  EXPECT_FALSE(UidOf(created).empty());
  EXPECT_THROW(client.Create(r, env.ns(), ConfigMap("cm-a", "1")), ApiError);
  try {
    client.Create(r, env.ns(), ConfigMap("cm-a", "1"));
  } catch (const ApiError& e) {
    EXPECT_TRUE(e.IsAlreadyExists());
  }
  Json fetched = client.Get(r, env.ns(), "cm-a");
  EXPECT_EQ(fetched["data"]["value"], "1");

  Json update = fetched;
  update["data"]["value"] = "2";
  Json updated = client.Update(r, env.ns(), update);
  EXPECT_NE(ResourceVersionOf(updated), ResourceVersionOf(fetched));
  // A write based on the old version is refused.
  fetched["data"]["value"] = "3";
  try {
    client.Update(r, env.ns(), fetched);
    FAIL() << "stale update accepted";
  } catch (const ApiError& e) {
    EXPECT_TRUE(e.IsConflict()) << e.what();
  }

  client.Patch(r, env.ns(), "cm-a", PatchType::kMerge, {{"data", {{"merged", "yes"}}}});
  client.Patch(r, env.ns(), "cm-a", PatchType::kJson,
               Json::array({{{"op", "replace"}, {"path", "/data/value"}, {"value", "4"}}}));
  Json patched = client.Get(r, env.ns(), "cm-a");
  EXPECT_EQ(patched["data"]["merged"], "yes");
  EXPECT_EQ(patched["data"]["value"], "4");

  Json generated = client.Create(
      r, env.ns(),
      {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"generateName", "gen-"}}}});
  EXPECT_TRUE(NameOf(generated).starts_with("gen-"));
  EXPECT_GT(NameOf(generated).size(), 4u);

  DeleteOptions wrong_uid;
  wrong_uid.precondition_uid = "00000000-0000-0000-0000-000000000000";
  try {
    client.Delete(r, env.ns(), "cm-a", wrong_uid);
    FAIL() << "precondition ignored";
  } catch (const ApiError& e) {
    EXPECT_TRUE(e.IsConflict()) << e.what();
  }
  DeleteOptions right_uid;
  right_uid.precondition_uid = UidOf(patched);
  client.Delete(r, env.ns(), "cm-a", right_uid);
  try {
    client.Get(r, env.ns(), "cm-a");
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_TRUE(e.IsNotFound());
  }
}

TEST_F(KubeClientIntegrationTest, ListPagesAndSelectors) {
  auto& client = *env.client();
  for (int i = 0; i < 7; ++i) {
    client.Create(resources::ConfigMaps(), env.ns(),
                  ConfigMap("page-" + std::to_string(i), "v", i % 2 ? "odd" : "even"));
  }
  const ListResult all =
      ListAll(client, resources::ConfigMaps(), env.ns(), Selecting("numalign.io/it", ""), 2);
  EXPECT_EQ(all.items.size(), 7u);
  EXPECT_FALSE(all.resource_version.empty());
  const ListResult odd =
      ListAll(client, resources::ConfigMaps(), env.ns(), Selecting("numalign.io/it=odd", ""), 2);
  EXPECT_EQ(odd.items.size(), 3u);
  const ListResult by_name =
      ListAll(client, resources::ConfigMaps(), env.ns(), Selecting("", "metadata.name=page-3"));
  ASSERT_EQ(by_name.items.size(), 1u);
  EXPECT_EQ(NameOf(by_name.items[0]), "page-3");
}

TEST_F(KubeClientIntegrationTest, ServerSideApplyConflictsBetweenManagers) {
  auto& client = *env.client();
  const auto& r = resources::ConfigMaps();
  Json intent = ConfigMap("applied", "from-a");
  client.Apply(r, env.ns(), "applied", intent,
               {.field_manager = "manager-a", .force = false, .dry_run = false});
  // Re-applying the same intent is a no-op.
  client.Apply(r, env.ns(), "applied", intent,
               {.field_manager = "manager-a", .force = false, .dry_run = false});
  Json other = ConfigMap("applied", "from-b");
  try {
    client.Apply(r, env.ns(), "applied", other,
                 {.field_manager = "manager-b", .force = false, .dry_run = false});
    FAIL() << "conflicting apply accepted";
  } catch (const ApiError& e) {
    EXPECT_TRUE(e.IsConflict()) << e.what();
    EXPECT_FALSE(e.causes().empty());
  }
  Json forced = client.Apply(r, env.ns(), "applied", other,
                             {.field_manager = "manager-b", .force = true, .dry_run = false});
  EXPECT_EQ(forced["data"]["value"], "from-b");
}

TEST_F(KubeClientIntegrationTest, NodeResourceTopologyRoundTrip) {
  env.EnsureNrtCrd();
  auto& client = *env.client();
  const std::string name = UniqueName("it-node");
  NrtZone zone;
  zone.name = "node-0";
  zone.type = "Node";
  zone.costs = {{"node-0", 10}};
  auto q = [](const char* text) { return *numa::Quantity::Parse(text, nullptr); };
  zone.resources = {{"cpu", q("16"), q("15"), q("15")},
                    {"memory", q("32Gi"), q("31Gi"), q("1536Mi")}};
  const Json object = NodeResourceTopologyBuilder(name)
                          .Attribute("topologyManagerPolicy", "single-numa-node")
                          .Zone(zone)
                          .Build();
  client.Apply(resources::NodeResourceTopologies(), "", name, object,
               {.field_manager = "numalign-agent", .force = true, .dry_run = false});
  const NodeResourceTopology back =
      ParseNodeResourceTopology(client.Get(resources::NodeResourceTopologies(), "", name));
  ASSERT_EQ(back.zones.size(), 1u);
  EXPECT_EQ(back.zones[0].FindResource("memory")->available, q("1536Mi"));
  EXPECT_EQ(back.Attribute("topologyManagerPolicy"), "single-numa-node");
  client.Delete(resources::NodeResourceTopologies(), "", name);
}

// Collects informer notifications as "add NAME", "update NAME", "delete NAME".
class Notifications {
 public:
  EventHandler Handler() {
    return {.on_add = [this](const ObjectPtr& o) { Add("add " + NameOf(*o)); },
            .on_update =
                [this](const ObjectPtr& old, const ObjectPtr& now) {
                  if (ResourceVersionOf(*old) != ResourceVersionOf(*now)) {
                    Add("update " + NameOf(*now));
                  }
                },
            .on_delete = [this](const ObjectPtr& o) { Add("delete " + NameOf(*o)); }};
  }
  bool WaitFor(const std::string& entry, std::chrono::seconds timeout = 20s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return Count(entry) > 0; });
  }
  int Count(const std::string& entry) const {
    int n = 0;
    for (const auto& e : log_) n += e == entry;
    return n;
  }
  int CountLocked(const std::string& entry) {
    std::lock_guard lock(mu_);
    return Count(entry);
  }

 private:
  void Add(std::string entry) {
    std::lock_guard lock(mu_);
    log_.push_back(std::move(entry));
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> log_;
};

TEST_F(KubeClientIntegrationTest, InformerSurvivesDroppedWatchesAndCompaction) {
  auto& client = *env.client();
  const auto& r = resources::ConfigMaps();
  client.Create(r, env.ns(), ConfigMap("before", "1"));
  auto lw = std::make_shared<ApiListerWatcher>(env.client(), r, env.ns());
  InformerOptions options;
  options.reflector.backoff = {100ms, 1s, 2.0, 0.2};
  Informer informer(lw, options);
  Notifications seen;
  informer.AddEventHandler(seen.Handler());
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(20s));
  EXPECT_TRUE(seen.WaitFor("add before"));

  client.Create(r, env.ns(), ConfigMap("during", "1"));
  EXPECT_TRUE(seen.WaitFor("add during"));

  if (env.local()) {
    // A dropped watch resumes from the last version: nothing lost, nothing twice.
    env.server().DropAllWatches();
    client.Create(r, env.ns(), ConfigMap("after-drop", "1"));
    EXPECT_TRUE(seen.WaitFor("add after-drop"));

    // Compaction while disconnected: the re-watch is held at the server until the history it
    // asks for is gone, so it gets 410 Gone and the informer relists and reconciles.
    test_apiserver::FaultSpec slow_watch;
    slow_watch.path_prefix = "/api/v1/namespaces/" + env.ns() + "/configmaps";
    slow_watch.method = "GET";
    slow_watch.latency = 1500ms;
    slow_watch.count = 1;
    env.server().InjectFaults(slow_watch);
    env.server().DropAllWatches();
    client.Delete(r, env.ns(), "during");
    client.Patch(r, env.ns(), "before", PatchType::kMerge, {{"data", {{"value", "2"}}}});
    env.server().CompactHistory();
    env.server().DropAllWatches();
    EXPECT_TRUE(seen.WaitFor("delete during"));
    EXPECT_TRUE(seen.WaitFor("update before"));
    client.Create(r, env.ns(), ConfigMap("after-compact", "1"));
    EXPECT_TRUE(seen.WaitFor("add after-compact"));
    EXPECT_EQ(seen.CountLocked("add after-drop"), 1);
    EXPECT_EQ(seen.CountLocked("delete during"), 1);
    EXPECT_EQ(seen.CountLocked("update before"), 1);
    EXPECT_GE(informer.reflector().lists(), 2) << "compaction did not force a relist";
  } else {
    client.Delete(r, env.ns(), "during");
    EXPECT_TRUE(seen.WaitFor("delete during"));
  }
  EXPECT_EQ(seen.CountLocked("add before"), 1);
  EXPECT_EQ(seen.CountLocked("add during"), 1);
  informer.Stop();
}

TEST_F(KubeClientIntegrationTest, RetriesThroughTooManyRequests) {
  if (!env.local()) GTEST_SKIP() << "fault injection needs the in-repo server";
  test_apiserver::FaultSpec fault;
  fault.path_prefix = "/api/v1/namespaces/" + env.ns() + "/configmaps";
  fault.status = 429;
  fault.retry_after_seconds = 1;
  fault.count = 2;
  env.server().InjectFaults(fault);
  const auto start = std::chrono::steady_clock::now();
  env.client()->List(resources::ConfigMaps(), env.ns());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(KubeClientIntegrationTest, LeaderElectionHandsOverOnRelease) {
  const std::string lease = UniqueName("it-lease");
  auto make = [&](const std::string& id, std::atomic<bool>& leading) {
    LeaderElectionOptions options;
    options.identity = id;
    options.lease_duration = 4s;
    options.renew_deadline = 3s;
    options.retry_period = 500ms;
    options.resource_name = lease;
    options.resource_namespace = env.ns();
    LeaderCallbacks callbacks;
    callbacks.on_started_leading = [&leading](std::stop_token stop) {
      leading = true;
      std::mutex mu;
      std::condition_variable_any cv;
      std::unique_lock lock(mu);
      cv.wait(lock, stop, [] { return false; });
      leading = false;
    };
    return std::make_unique<LeaderElector>(
        std::make_shared<ApiLeaseLock>(env.NewClient(), env.ns(), lease), options, callbacks);
  };
  std::atomic<bool> a_leading = false, b_leading = false;
  auto a = make("candidate-a", a_leading);
  auto b = make("candidate-b", b_leading);
  std::jthread run_a([&](std::stop_token stop) { a->Run(stop); });
  for (int i = 0; i < 100 && !a_leading; ++i) std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(a_leading);
  std::jthread run_b([&](std::stop_token stop) { b->Run(stop); });
  std::this_thread::sleep_for(1500ms);
  EXPECT_FALSE(b_leading) << "two leaders at once";
  run_a.request_stop();
  run_a.join();
  EXPECT_FALSE(a_leading);
  // Released, so b takes over within a couple of retry periods, well before the lease expiry.
  const auto released = std::chrono::steady_clock::now();
  for (int i = 0; i < 100 && !b_leading; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(b_leading);
  EXPECT_LT(std::chrono::steady_clock::now() - released, 3s);
  const LeaseRecord record =
      ReadLeaseRecord(env.client()->Get(resources::Leases(), env.ns(), lease));
  EXPECT_EQ(record.holder_identity, "candidate-b");
  EXPECT_GE(record.lease_transitions, 1);
  run_b.request_stop();
}

}  // namespace
}  // namespace numalign::kube::integration
