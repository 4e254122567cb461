#include "agent/pods/pod_controller.h"

#include <gtest/gtest.h>

#include "agent/allocation/test_node.h"
#include "agent/pods/pod_test_doubles.h"
#include "numa/allocation/allocation_annotation.h"
#include "numa/allocation/pinned_annotation.h"

namespace numalign::agent {
namespace {

using namespace numalign::agent::testing;  // NOLINT: test helpers

TEST(PodController, CheckpointIsWrittenBeforeAnyCgroupAndThePodIsAnnotated) {
  Harness h;
  h.controller.Start({});
  h.log.clear();
  PodObservation pod = Started(MakePod("a", "2", "1Gi", 1), 1);
  h.controller.OnPodUpsert(pod);
  ASSERT_GE(h.log.size(), 2U);
  EXPECT_EQ(h.log[0], "checkpoint");
  EXPECT_EQ(h.log[1], "pin:" + pod.spec.uid);
  const auto& pinning = h.pinner.last.at(pod.spec.uid);
  ASSERT_EQ(pinning.containers.size(), 1U);
  EXPECT_EQ(pinning.containers[0].cpuset.cpus.Ids(), h.engine.ExclusiveCpus(pod.spec.uid, "app"));
  EXPECT_EQ(pinning.containers[0].cpuset.mems.Ids(), (std::vector<int>{0}));
  std::string error;
  auto pinned = numa::ParsePinnedRecord(h.api.annotations["a"].at("numalign.io/pinned"), &error);
  ASSERT_TRUE(pinned) << error;
  EXPECT_TRUE(pinned->Find("app")->exclusive);
  EXPECT_EQ(h.metrics.pinning_requests_total, 1U);
  EXPECT_EQ(h.hub.Snapshot().pods.size(), 1U);
}

TEST(PodController, ABurstOfBindsPaysOneCheckpointThenPinsEachPod) {
  Harness h;
  h.controller.Start({});
  PodObservation a = Started(MakePod("a", "1", "1Gi", 1), 1);
  PodObservation b = Started(MakePod("b", "1", "1Gi", 2), 2);
  PodObservation gone = Started(MakePod("gone", "1", "1Gi", 3), 3);
  h.controller.OnPodUpsert(gone);
  PodObservation gone_now = gone;
  gone_now.terminated = true;
  h.log.clear();
  h.controller.OnPodUpserts({a, gone_now, b});
  // a is placed (checkpoint) and pinned before the release (checkpoint), then b.
  EXPECT_EQ(h.log, (std::vector<std::string>{"checkpoint", "pin:" + a.spec.uid, "checkpoint",
                                             "checkpoint", "pin:" + b.spec.uid}));
  EXPECT_EQ(h.engine.Find(gone.spec.uid), nullptr);
  h.log.clear();
  PodObservation c = Started(MakePod("c", "1", "1Gi", 4), 4);
  PodObservation d = Started(MakePod("d", "1", "1Gi", 5), 5);
  h.controller.OnPodUpserts({c, d, c});
  EXPECT_EQ(h.log,
            (std::vector<std::string>{"checkpoint", "pin:" + c.spec.uid, "pin:" + d.spec.uid}));
  EXPECT_EQ(h.metrics.pinning_requests_total, 5U);
  EXPECT_TRUE(h.api.annotations["d"].count("numalign.io/pinned"));
}

TEST(PodController, SharedPoolRepinIsDeferredOffTheBindPathThenFollowsThePool) {
  Harness h;
  h.controller.Start({});
  PodObservation shared = Started(MakePod("burst", "500m", "100Mi", 1), 1);
  h.controller.OnPodUpsert(shared);
  EXPECT_EQ(h.pinner.last.at(shared.spec.uid).pod.cpus.Ids().size(), 8U);
  EXPECT_FALSE(h.controller.SharedPoolRepinPending());

  // Binding an exclusive pod writes only its own cgroups; the shared pod is left for later.
  PodObservation exclusive = Started(MakePod("g", "2", "1Gi", 2), 2);
  h.log.clear();
  h.controller.OnPodUpsert(exclusive);
  EXPECT_EQ(h.log, (std::vector<std::string>{"checkpoint", "pin:" + exclusive.spec.uid}));
  EXPECT_EQ(h.pinner.last.at(shared.spec.uid).pod.cpus.Ids().size(), 8U);
  EXPECT_TRUE(h.controller.SharedPoolRepinPending());

  h.log.clear();
  EXPECT_TRUE(h.controller.RepinSharedPoolIfChanged());
  EXPECT_EQ(h.log, (std::vector<std::string>{"pin:" + shared.spec.uid}));
  EXPECT_EQ(h.pinner.last.at(shared.spec.uid).pod.cpus.Ids().size(), 6U);  // shrank
  EXPECT_FALSE(h.controller.SharedPoolRepinPending());
  EXPECT_FALSE(h.controller.RepinSharedPoolIfChanged());  // nothing more to do

  // A release grows the pool back; Tick (the reconcile loop) also catches it up.
  h.controller.OnPodDeleted(exclusive.spec.uid);
  EXPECT_EQ(h.pinner.last.at(shared.spec.uid).pod.cpus.Ids().size(), 6U);
  h.controller.Tick();
  EXPECT_EQ(h.pinner.last.at(shared.spec.uid).pod.cpus.Ids().size(), 8U);  // grew back
  EXPECT_FALSE(h.controller.SharedPoolRepinPending());
}

TEST(PodController, AnInterruptedRepinResumesWhereItStopped) {
  Harness h;
  h.controller.Start({});
  PodObservation s1 = Started(MakePod("s1", "500m", "100Mi", 1), 1);
  PodObservation s2 = Started(MakePod("s2", "500m", "100Mi", 2), 2);
  h.controller.OnPodUpsert(s1);
  h.controller.OnPodUpsert(s2);
  h.controller.OnPodUpsert(Started(MakePod("g", "2", "1Gi", 3), 3));
  h.log.clear();
  int asked = 0;
  // Yields before the second pod: a bind arrived.
  EXPECT_TRUE(h.controller.RepinSharedPoolIfChanged([&] { return ++asked > 1; }));
  EXPECT_EQ(h.log, (std::vector<std::string>{"pin:" + s1.spec.uid}));
  EXPECT_TRUE(h.controller.SharedPoolRepinPending());
  EXPECT_TRUE(h.controller.RepinSharedPoolIfChanged());
  EXPECT_EQ(h.log, (std::vector<std::string>{"pin:" + s1.spec.uid, "pin:" + s2.spec.uid}));
  EXPECT_FALSE(h.controller.SharedPoolRepinPending());
  EXPECT_EQ(h.pinner.last.at(s2.spec.uid).pod.cpus.Ids(), h.engine.SharedPool());
}

TEST(PodController, ASharedPodBoundAfterTheChangeGetsTheCurrentPoolAtOnce) {
  Harness h;
  h.controller.Start({});
  h.controller.OnPodUpsert(Started(MakePod("g", "2", "1Gi", 1), 1));
  PodObservation shared = Started(MakePod("burst", "500m", "100Mi", 2), 2);
  h.controller.OnPodUpsert(shared);
  EXPECT_EQ(h.pinner.last.at(shared.spec.uid).pod.cpus.Ids().size(), 6U);
}

TEST(PodController, NothingFitsGivesEventAnnotationAndMetricThenRetriesAfterARelease) {
  Harness h;
  h.controller.Start({});
  PodObservation a = Started(MakePod("a", "3", "3Gi", 1), 1);
  PodObservation b = Started(MakePod("b", "4", "3Gi", 2), 2);
  PodObservation c = Started(MakePod("c", "3", "3Gi", 3), 3);
  h.controller.OnPodUpsert(a);
  h.controller.OnPodUpsert(b);
  h.controller.OnPodUpsert(c);  // neither node has 3 CPUs and 3Gi left
  EXPECT_EQ(h.metrics.pinning_errors_total, 1U);
  ASSERT_EQ(h.api.events.size(), 1U);
  EXPECT_EQ(h.api.events[0],
            "c Warning TopologyAffinityError Resources cannot be allocated with Topology locality");
  EXPECT_EQ(h.api.annotations["c"].at("numalign.io/pinning-failed"),
            "TopologyAffinityError: Resources cannot be allocated with Topology locality");
  EXPECT_FALSE(h.pinner.last.count(c.spec.uid));
  h.controller.OnPodUpsert(c);  // an update does not retry by itself
  EXPECT_EQ(h.metrics.pinning_errors_total, 1U);
  PodObservation a_done = a;
  a_done.terminated = true;
  h.controller.OnPodUpsert(a_done);  // Succeeded: released, c now fits
  EXPECT_TRUE(h.pinner.last.count(c.spec.uid));
  EXPECT_FALSE(h.api.annotations["c"].count("numalign.io/pinning-failed"));
  EXPECT_TRUE(h.api.annotations["c"].count("numalign.io/pinned"));
  EXPECT_EQ(h.controller.failed_count(), 0U);
}

TEST(PodController, UnreachableApiKeepsPinningAndCatchesUpLater) {
  Harness h;
  h.controller.Start({});
  h.api.down = true;
  PodObservation a = Started(MakePod("a", "2", "1Gi", 1), 1);
  h.controller.OnPodUpsert(a);
  EXPECT_TRUE(h.pinner.last.count(a.spec.uid));  // pinned anyway
  EXPECT_TRUE(h.controller.HasPendingAnnotations());
  EXPECT_GT(h.metrics.annotation_patch_errors_total, 0U);
  h.controller.Tick();
  EXPECT_TRUE(h.controller.HasPendingAnnotations());
  h.api.down = false;
  h.controller.Tick();
  EXPECT_FALSE(h.controller.HasPendingAnnotations());
  EXPECT_TRUE(h.api.annotations["a"].count("numalign.io/pinned"));
}

TEST(PodController, MissingCgroupsAreRetriedAndDriftIsRepaired) {
  Harness h;
  h.controller.Start({});
  PodObservation a = Started(MakePod("a", "1", "1Gi", 1), 1);
  h.pinner.missing.insert(a.spec.uid);
  h.controller.OnPodUpsert(a);
  EXPECT_FALSE(h.pinner.last.count(a.spec.uid));
  EXPECT_FALSE(h.api.annotations["a"].count("numalign.io/pinned"));  // nothing applied yet
  h.pinner.missing.clear();
  h.controller.Tick();
  EXPECT_TRUE(h.pinner.last.count(a.spec.uid));
  h.pinner.drifted.insert(a.spec.uid);
  h.controller.Tick();
  EXPECT_EQ(h.metrics.cgroup_drift_repairs_total, 1U);
}

TEST(PodController, ContainersArePinnedOnceTheirIdAppears) {
  Harness h;
  h.controller.Start({});
  PodObservation a = MakePod("a", "1", "1Gi", 1);  // no container id yet
  h.controller.OnPodUpsert(a);
  EXPECT_TRUE(h.pinner.last.at(a.spec.uid).containers.empty());  // the pod cgroup only
  h.controller.OnPodUpsert(Started(a, 1));
  EXPECT_EQ(h.pinner.last.at(a.spec.uid).containers.size(), 1U);
}

TEST(PodController, ExtenderDecisionIsUsedAndCounted) {
  Harness h;
  h.controller.Start({});
  PodObservation a = Started(MakePod("a", "2", "1Gi", 1), 1);
  numa::AllocationDecision d;
  d.node = kNode;
  d.pod_uid = a.spec.uid;
  d.containers.push_back({"app", 2, {{"cpu", {1}}, {"memory", {1}}}});
  a.allocation_annotation = numa::SerializeAllocationDecision(d);
  h.controller.OnPodUpsert(a);
  EXPECT_EQ(h.metrics.extender_decisions_accepted_total, 1U);
  EXPECT_EQ(h.pinner.last.at(a.spec.uid).pod.mems.Ids(), (std::vector<int>{1}));
}

TEST(PodController, CorruptedCheckpointAtStartIsReportedOnTheNode) {
  Harness h;
  h.store.load_error = state::StateError{state::StateErrorKind::kUnparsable, "f", "truncated", 0};
  RestoreReport r = h.controller.Start({Started(MakePod("a", "1", "1Gi", 1), 1)});
  EXPECT_EQ(r.checkpoint, RestoreReport::Checkpoint::kCorrupted);
  EXPECT_EQ(h.metrics.checkpoint_corruptions_total, 1U);
  ASSERT_FALSE(h.api.events.empty());
  EXPECT_EQ(h.api.events[0], "node Warning CheckpointCorrupted");
  EXPECT_EQ(h.pinner.last.size(), 1U);  // the live pod is pinned again
}

}  // namespace
}  // namespace numalign::agent
