#include <gtest/gtest.h>

#include <thread>

#include "controller/controller_loop.h"
#include "controller/defragmentation/defragmenter.h"
#include "controller/defragmentation/informer_cluster_source.h"
#include "controller/nrt_lifecycle/nrt_reconciler.h"
#include "controller/nrt_lifecycle/stale_attributes.h"
#include "controller/recovery/pod_recoverer.h"
#include "controller/testing/eventually.h"
#include "controller/testing/numa_scenario.h"
#include "kube/clock/time_format.h"
#include "kube/leaderelection/leader_elector.h"
#include "kube/leaderelection/lease_lock.h"
#include "kube/objects/node_resource_topology.h"
#include "kube/objects/pod.h"
#include "kube/rest/api_error.h"
#include "kube/rest/pod_actions.h"
#include "kube/rest/resource.h"
#include "tests/integration/kube/kube_test_env.h"

namespace numalign::controller {
namespace {

using namespace std::chrono_literals;
using kube::Json;
using kube::integration::KubeTestEnv;
using kube::integration::UniqueName;
namespace res = kube::resources;

using testing::Eventually;

class ControllerIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override { env.EnsureNrtCrd(); }
  void TearDown() override {
    for (const auto& name : nrts_)
      Ignore([&] { api()->Delete(res::NodeResourceTopologies(), "", name); });
    for (const auto& name : nodes_) Ignore([&] { api()->Delete(res::Nodes(), "", name); });
  }
  static void Ignore(const std::function<void()>& f) {
    try {
      f();
    } catch (const std::exception&) {
      // Cleanup of something already gone.
    }
  }
  std::shared_ptr<kube::ApiClient> api() { return env.client(); }

  std::string CreateNode(const std::string& prefix) {
    const auto name = UniqueName(prefix);
    api()->Create(res::Nodes(), "",
                  {{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", name}}}});
    nodes_.push_back(name);
    return name;
  }
  Json NrtObject(const std::string& name, kube::Clock::TimePoint heartbeat, int free0 = 4,
                 int free1 = 4) {
    auto zone = [](int id, int free) {
      kube::NrtZone z;
      z.name = "node-" + std::to_string(id);
      z.type = "Node";
      z.resources.push_back({"cpu", numa::Quantity::FromInt(8), numa::Quantity::FromInt(8),
                             numa::Quantity::FromInt(free)});
      return z;
    };
    return kube::NodeResourceTopologyBuilder(name)
        .TopologyPolicy("SingleNUMANodeContainerLevel")
        .Attribute("numalign.io/stateGeneration", "1")
        .Attribute(std::string(kPinningModeAttribute), "agent")
        .Attribute(std::string(kHeartbeatAttribute), kube::FormatTime(heartbeat))
        .Zone(zone(0, free0))
        .Zone(zone(1, free1))
        .Build();
  }
  void CreateNrt(const std::string& name, kube::Clock::TimePoint heartbeat, int free0 = 4,
                 int free1 = 4) {
    api()->Create(res::NodeResourceTopologies(), "", NrtObject(name, heartbeat, free0, free1));
    nrts_.push_back(name);
  }
  std::optional<std::string> NrtAttribute(const std::string& name, std::string_view attribute) {
    return kube::ParseNodeResourceTopology(api()->Get(res::NodeResourceTopologies(), "", name))
        .Attribute(attribute);
  }
  bool NrtExists(const std::string& name) {
    try {
      api()->Get(res::NodeResourceTopologies(), "", name);
      return true;
    } catch (const kube::ApiError& e) {
      if (e.IsNotFound()) return false;
      throw;
    }
  }

  KubeTestEnv env;
  std::shared_ptr<kube::Clock> clock = kube::SystemClock();
  std::shared_ptr<ControllerMetrics> metrics = std::make_shared<ControllerMetrics>();
  std::vector<std::string> nodes_, nrts_;
};

TEST_F(ControllerIntegrationTest, OrphanedNrtIsRemovedAndTheOthersKept) {
  const auto node = CreateNode("it-node");
  CreateNrt(node, clock->Now());
  const auto orphan = UniqueName("it-gone");
  CreateNrt(orphan, clock->Now());
  NrtLifecycleReconciler reconciler(api(), clock, metrics, {});
  reconciler.ReconcileOnce();
  EXPECT_TRUE(Eventually([&] { return !NrtExists(orphan); }));
  EXPECT_TRUE(NrtExists(node));
}

TEST_F(ControllerIntegrationTest, StaleNodeIsMarkedAndClearedWhenTheAgentReturns) {
  const auto node = CreateNode("it-stale");
  CreateNrt(node, clock->Now() - 10min);
  NrtLifecycleReconciler reconciler(api(), clock, metrics, {.stale_after = 2min});
  reconciler.ReconcileOnce();
  EXPECT_EQ(NrtAttribute(node, kStaleAttribute), "true");
  EXPECT_TRUE(NrtAttribute(node, kStaleReasonAttribute));
  EXPECT_EQ(NrtAttribute(node, "numalign.io/stateGeneration"), "1") << "agent data kept";

  // The agent comes back: a forced server-side apply of its object with a fresh heartbeat, as
  // agent/publish does. Whatever the apply leaves, the next pass must end unmarked.
  kube::ApplyOptions apply{.field_manager = "numalign-agent", .force = true};
  api()->Apply(res::NodeResourceTopologies(), "", node, NrtObject(node, clock->Now()), apply);
  reconciler.ReconcileOnce();
  EXPECT_FALSE(NrtAttribute(node, kStaleAttribute));
  EXPECT_FALSE(NrtAttribute(node, kStaleReasonAttribute));
  reconciler.ReconcileOnce();
  EXPECT_FALSE(NrtAttribute(node, kStaleAttribute)) << "fresh data is not re-marked";
}

class RecoveryIntegrationTest : public ControllerIntegrationTest {
 protected:
  // A ConfigMap stands in for the owning controller: the garbage collector sees a live owner
  // and no real controller recreates pods behind the test's back.
  kube::OwnerReference CreateOwner() {
    const Json owner = api()->Create(res::ConfigMaps(), env.ns(),
                                     {{"apiVersion", "v1"},
                                      {"kind", "ConfigMap"},
                                      {"metadata", {{"name", UniqueName("owner")}}}});
    return {"v1", "ConfigMap", kube::NameOf(owner), kube::UidOf(owner), true};
  }
  Json CreateFailedPod(const std::string& name, const std::optional<kube::OwnerReference>& owner,
                       const std::string& reason) {
    Json pod = {{"apiVersion", "v1"},
                {"kind", "Pod"},
                {"metadata", {{"name", name}}},
                {"spec",
                 {{"schedulerName", "it-no-such-scheduler"},
                  {"containers", {{{"name", "c"}, {"image", "registry.k8s.io/pause:3.10"}}}}}}};
    if (owner) {
      pod["metadata"]["ownerReferences"] = {{{"apiVersion", owner->api_version},
                                             {"kind", owner->kind},
                                             {"name", owner->name},
                                             {"uid", owner->uid},
                                             {"controller", true}}};
    }
    Json created = api()->Create(res::Pods(), env.ns(), pod);
    created["status"]["phase"] = "Failed";
    created["status"]["reason"] = reason;
    created["status"]["message"] = "Resources cannot be allocated with Topology locality";
    return kube::UpdateStatus(*api(), res::Pods(), env.ns(), created);
  }
  bool PodExists(const std::string& name, const std::string& uid) {
    try {
      return kube::UidOf(api()->Get(res::Pods(), env.ns(), name)) == uid;
    } catch (const kube::ApiError& e) {
      if (e.IsNotFound()) return false;
      throw;
    }
  }
  std::shared_ptr<kube::FakeEventRecorder> events = std::make_shared<kube::FakeEventRecorder>();
};

TEST_F(RecoveryIntegrationTest, OwnedFailedPodIsRecreatedOnceThenBacksOffInsteadOfLooping) {
  const auto owner = CreateOwner();
  PodRecoverer recoverer(api(), clock, events, metrics, {.backoff = {.base = 1h, .max = 2h}});
  const Json first = CreateFailedPod("web-0", owner, "TopologyAffinityError");
  recoverer.ReconcileOnce();
  EXPECT_TRUE(Eventually([&] { return !PodExists("web-0", kube::UidOf(first)); }));
  // The owner "recreates" it and the kubelet rejects it again: the controller must hold off.
  const Json second = CreateFailedPod("web-0", owner, "TopologyAffinityError");
  for (int i = 0; i < 5; ++i) recoverer.ReconcileOnce();
  EXPECT_TRUE(PodExists("web-0", kube::UidOf(second)));
  EXPECT_EQ(metrics->recoveries("TopologyAffinityError", "deleted"), 1u);
  EXPECT_EQ(metrics->recoveries("TopologyAffinityError", "backoff"), 1u);
  EXPECT_EQ(recoverer.Attempts(owner.uid), 1);
}

TEST_F(RecoveryIntegrationTest, StandalonePodKeepsRunningWithAClearCondition) {
  const Json pod = CreateFailedPod("solo", std::nullopt, "UnexpectedAdmissionError");
  PodRecoverer recoverer(api(), clock, events, metrics, {});
  recoverer.ReconcileOnce();
  const Json now = api()->Get(res::Pods(), env.ns(), "solo");
  EXPECT_EQ(kube::UidOf(now), kube::UidOf(pod));
  EXPECT_EQ(kube::PodView(now).ConditionStatus(kRecoverableCondition), "False");
  EXPECT_EQ(kube::PodView(now).Phase(), "Failed") << "the kubelet's status is kept";
}

// Two replicas of the controller: each runs leader election and, while leading, the NRT
// lifecycle loop. Only the leader acts; when it dies without releasing the lease the stand-by
// takes over within the lease duration and does the work.
TEST_F(ControllerIntegrationTest, TwoReplicasHandOverLeadership) {
  const std::string lease = UniqueName("it-ctrl-lease");
  struct Replica {
    std::unique_ptr<kube::LeaderElector> elector;
    std::unique_ptr<ControllerLoop> loop;
    std::atomic<bool> leading{false};
    std::jthread thread;
  };
  auto start = [&](Replica& r, const std::string& id) {
    kube::LeaderElectionOptions options;
    options.identity = id;
    options.lease_duration = 2s;
    options.renew_deadline = 1s;
    options.retry_period = 250ms;
    options.resource_name = lease;
    options.resource_namespace = env.ns();
    options.release_on_cancel = false;  // a crash, not a clean shutdown
    auto client = env.NewClient();
    r.loop = std::make_unique<ControllerLoop>(
        std::vector<std::shared_ptr<Reconciler>>{std::make_shared<NrtLifecycleReconciler>(
            client, clock, metrics, NrtLifecycleOptions{})},
        clock, 200ms);
    kube::LeaderCallbacks callbacks;
    callbacks.on_started_leading = [&r](std::stop_token stop) {
      r.leading = true;
      r.loop->Run(stop);
      r.leading = false;
    };
    r.elector = std::make_unique<kube::LeaderElector>(
        std::make_shared<kube::ApiLeaseLock>(client, env.ns(), lease), options, callbacks);
    r.thread = std::jthread([&r](std::stop_token stop) { r.elector->Run(stop); });
  };
  Replica a, b;
  start(a, "replica-a");
  ASSERT_TRUE(Eventually([&] { return a.leading.load(); }));
  start(b, "replica-b");
  std::this_thread::sleep_for(700ms);
  EXPECT_FALSE(b.leading) << "two leaders at once";
  EXPECT_EQ(b.loop->passes(), 0u) << "the stand-by acted";
  EXPECT_GT(a.loop->passes(), 0u);

  a.thread.request_stop();
  a.thread.join();
  const auto died = std::chrono::steady_clock::now();
  ASSERT_TRUE(Eventually([&] { return b.leading.load(); }, 10s));
  EXPECT_LT(std::chrono::steady_clock::now() - died, 2s + 2s) << "lease duration + slack";
  // The new leader does the work.
  const auto orphan = UniqueName("it-handover-gone");
  CreateNrt(orphan, clock->Now());
  EXPECT_TRUE(Eventually([&] { return !NrtExists(orphan); }));
  b.thread.request_stop();
}

// A prepared node, 4 allocatable CPUs per NUMA zone: a movable 3-CPU pod and a pinned (not
// movable) 3-CPU pod, one on each zone, leave 1 CPU free per zone. A Guaranteed 4-CPU pod is
// pending: 2 CPUs are free in total but no zone has 4. The fewest evictions: the movable pod.
class DefragmentationIntegrationTest : public ControllerIntegrationTest {
 protected:
  void SetUp() override {
    ControllerIntegrationTest::SetUp();
    node = CreateNode("it-defrag");
    api()->Create(res::NodeResourceTopologies(), "", testing::AgentNrt(node, 4));
    nrts_.push_back(node);
    Pod({.name = "mover", .container_cpus = {3}, .node = node, .movable = true});
    Pod({.name = "pinned", .container_cpus = {3}, .node = node});
    Pod({.name = "big", .container_cpus = {4}, .priority = 10});
  }
  // Creates the pod and sets the status the kubelet (Running) or the scheduler (Unschedulable)
  // would have written.
  Json Pod(testing::PodShape shape) {
    Json pod = testing::ScenarioPod(shape);
    pod["metadata"].erase("namespace");
    pod["metadata"].erase("uid");
    pod["metadata"].erase("creationTimestamp");
    pod["spec"]["schedulerName"] = scheduler;
    if (shape.priority != 0 && !env.local()) {
      // A real API server's Priority admission refuses a bare spec.priority: it comes from a
      // PriorityClass.
      pod["spec"].erase("priority");
      pod["spec"]["priorityClassName"] = PriorityClass(shape.priority);
    }
    const Json status = pod["status"];
    Json created = api()->Create(res::Pods(), env.ns(), pod);
    created["status"] = status;
    return kube::UpdateStatus(*api(), res::Pods(), env.ns(), created);
  }
  // The cluster as the daemon sees it: informers, synced.
  std::shared_ptr<InformerClusterSource> WatchCluster() {
    auto source = std::make_shared<InformerClusterSource>(env.NewClient());
    source->Start();
    EXPECT_TRUE(Eventually([&] { return source->NotReadyReason().empty(); }))
        << source->NotReadyReason();
    return source;
  }
  // Waits until the informers hold the pending pod and both placements.
  static bool SeesScenario(ClusterSource& source, const std::string& scheduler,
                           const std::string& node) {
    auto snapshot = source.Read(scheduler);
    for (const auto& n : snapshot.nodes) {
      if (n.name == node && n.pods.size() == 2 && snapshot.pending.size() == 1) return true;
    }
    return false;
  }

  void TearDown() override {
    for (const auto& name : priority_classes_) {
      Ignore([&] { api()->Delete(PriorityClasses(), "", name); });
    }
    ControllerIntegrationTest::TearDown();
  }
  static const kube::ResourceDescriptor& PriorityClasses() {
    static const kube::ResourceDescriptor r{"scheduling.k8s.io", "v1", "priorityclasses",
                                            "PriorityClass", false};
    return r;
  }
  std::string PriorityClass(int value) {
    const auto name = UniqueName("it-priority");
    api()->Create(PriorityClasses(), "",
                  {{"apiVersion", "scheduling.k8s.io/v1"},
                   {"kind", "PriorityClass"},
                   {"metadata", {{"name", name}}},
                   {"value", value}});
    priority_classes_.push_back(name);
    return name;
  }

  std::string node;
  std::vector<std::string> priority_classes_;
  const std::string scheduler = UniqueName("it-sched");
  std::shared_ptr<kube::FakeEventRecorder> events = std::make_shared<kube::FakeEventRecorder>();
};

TEST_F(DefragmentationIntegrationTest, DryRunPlansTheFewestEvictionsAndEvictsNothing) {
  auto source = WatchCluster();
  ASSERT_TRUE(Eventually([&] { return SeesScenario(*source, scheduler, node); }));
  Defragmenter defrag(source, api(), clock, events, metrics,
                      {.mode = DefragmentMode::kDryRun, .scheduler_name = scheduler});
  defrag.ReconcileOnce();
  const auto plans = defrag.LastPlans();
  const auto it = plans.find(env.ns() + "/big");
  ASSERT_NE(it, plans.end());
  ASSERT_EQ(it->second.outcome, PlanOutcome::kPlanned) << ToString(it->second.outcome);
  EXPECT_EQ(it->second.node, node);
  EXPECT_TRUE(it->second.zone == "node-0" || it->second.zone == "node-1") << it->second.zone;
  ASSERT_EQ(it->second.evictions.size(), 1u);
  EXPECT_EQ(it->second.evictions[0].name, "mover");
  ASSERT_EQ(events->events().size(), 1u);
  EXPECT_NE(events->events()[0].find(env.ns() + "/mover"), std::string::npos);
  EXPECT_NO_THROW(api()->Get(res::Pods(), env.ns(), "mover")) << "dry run evicts nothing";
}

TEST_F(DefragmentationIntegrationTest, EvictModeEvictsThePlannedPodAndThenThePodFits) {
  auto source = WatchCluster();
  ASSERT_TRUE(Eventually([&] { return SeesScenario(*source, scheduler, node); }));
  Defragmenter defrag(source, api(), clock, events, metrics,
                      {.mode = DefragmentMode::kEvict, .scheduler_name = scheduler});
  defrag.ReconcileOnce();
  ASSERT_EQ(defrag.LastPlans().at(env.ns() + "/big").outcome, PlanOutcome::kPlanned);
  EXPECT_EQ(metrics->evictions("evicted"), 1u);
  // Gone, or terminating where a real cluster waits for a kubelet the test node does not have.
  EXPECT_TRUE(Eventually([&] {
    try {
      return kube::PodView(api()->Get(res::Pods(), env.ns(), "mover")).DeletionTimestamp() !=
             std::nullopt;
    } catch (const kube::ApiError& e) {
      return e.IsNotFound();
    }
  })) << "the eviction deletes the pod";
  EXPECT_NO_THROW(api()->Get(res::Pods(), env.ns(), "pinned"));
  // Once the informers see the pod gone, the node's kubelet would admit the pending pod.
  EXPECT_TRUE(Eventually([&] {
    defrag.ReconcileOnce();
    return defrag.LastPlans().at(env.ns() + "/big").outcome == PlanOutcome::kAlreadyFits;
  }));
  EXPECT_EQ(metrics->evictions("evicted"), 1u) << "nothing more was evicted";
}

}  // namespace
}  // namespace numalign::controller
