#include "agent/allocation/allocation_engine.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "agent/allocation/test_node.h"
#include "numa/allocation/allocation_annotation.h"
#include "numa/allocation/pinned_annotation.h"

namespace numalign::agent {
namespace {

using namespace numalign::agent::testing;  // NOLINT: test helpers

AllocationEngine::Options EngineOptions() {
  AllocationEngine::Options o;
  o.node_name = kNode;
  return o;
}

std::string Decision(const PodObservation& pod, std::vector<int> numa, int cpus,
                     const std::string& node = kNode) {
  numa::AllocationDecision d;
  d.node = node;
  d.pod_uid = pod.spec.uid;
  d.containers.push_back({"app", cpus, {{"cpu", numa}, {"memory", numa}}});
  return numa::SerializeAllocationDecision(d);
}

bool AllOn(const std::vector<int>& cpus, int first, int last) {
  return !cpus.empty() &&
         std::all_of(cpus.begin(), cpus.end(), [&](int c) { return c >= first && c <= last; });
}

TEST(AllocationEngine, ValidExtenderDecisionIsCommittedAsDecided) {
  FakeCheckpointStore store;
  AllocationEngine engine(MakeAdmitter(), EngineOptions(), store);
  PodObservation pod = MakePod("a", "2", "1Gi", 1);
  pod.allocation_annotation = Decision(pod, {1}, 2);  // node 1 although node 0 also fits
  PlacementOutcome out = engine.Place(pod);
  ASSERT_EQ(out.kind, PlacementOutcome::Kind::kAdmitted) << out.message;
  EXPECT_EQ(out.source, PlacementSource::kExtender);
  EXPECT_TRUE(out.decision_refused.empty()) << out.decision_refused;
  EXPECT_TRUE(out.shared_pool_changed);
  EXPECT_TRUE(AllOn(engine.ExclusiveCpus(pod.spec.uid, "app"), 4, 7));
  EXPECT_EQ(engine.MemoryNuma(pod.spec.uid, "app").at("memory"), (std::vector<int>{1}));
  EXPECT_EQ(store.saves, 1);
  EXPECT_EQ(engine.generation(), 1U);
}

TEST(AllocationEngine, DecisionThatNoLongerFitsFallsBackToTheKubeletWay) {
  FakeCheckpointStore store;
  AllocationEngine engine(MakeAdmitter(), EngineOptions(), store);
  PodObservation pod = MakePod("a", "4", "1Gi", 1);
  pod.allocation_annotation = Decision(pod, {0}, 4);  // node 0 has 3 free CPUs (CPU 0 reserved)
  PlacementOutcome out = engine.Place(pod);
  ASSERT_EQ(out.kind, PlacementOutcome::Kind::kAdmitted) << out.message;
  EXPECT_EQ(out.source, PlacementSource::kKubelet);
  EXPECT_FALSE(out.decision_refused.empty());
  EXPECT_TRUE(AllOn(engine.ExclusiveCpus(pod.spec.uid, "app"), 4, 7));
}

TEST(AllocationEngine, DecisionForAnotherNodeOrMalformedIsRefusedWithAReason) {
  FakeCheckpointStore store;
  AllocationEngine engine(MakeAdmitter(), EngineOptions(), store);
  PodObservation a = MakePod("a", "1", "1Gi", 1);
  a.allocation_annotation = Decision(a, {1}, 1, "other-node");
  auto out = engine.Place(a);
  EXPECT_EQ(out.kind, PlacementOutcome::Kind::kAdmitted);
  EXPECT_NE(out.decision_refused.find("other-node"), std::string::npos) << out.decision_refused;
  PodObservation b = MakePod("b", "1", "1Gi", 2);
  b.allocation_annotation = R"({"version":"v9"})";
  out = engine.Place(b);
  EXPECT_EQ(out.kind, PlacementOutcome::Kind::kAdmitted);
  EXPECT_NE(out.decision_refused.find("unsupported version"), std::string::npos);
  PodObservation c = MakePod("c", "1", "1Gi", 3);
  c.allocation_annotation = Decision(c, {7}, 1);  // a NUMA node this machine does not have
  out = engine.Place(c);
  EXPECT_NE(out.decision_refused.find("does not have"), std::string::npos) << out.decision_refused;
  PodObservation d = MakePod("d", "1", "1Gi", 4);
  d.allocation_annotation = Decision(d, {0, 1}, 1);  // two nodes under single-numa-node
  out = engine.Place(d);
  EXPECT_NE(out.decision_refused.find("single-numa-node"), std::string::npos);
}

TEST(AllocationEngine, NothingFitsIsRejectedInTheKubeletsWordsAndChangesNothing) {
  FakeCheckpointStore store;
  AllocationEngine engine(MakeAdmitter(), EngineOptions(), store);
  const NodeStateSnapshot before = engine.Snapshot();
  PlacementOutcome out = engine.Place(MakePod("big", "5", "1Gi", 1));
  EXPECT_EQ(out.kind, PlacementOutcome::Kind::kRejected);
  EXPECT_EQ(out.reason, "TopologyAffinityError");
  EXPECT_EQ(out.message, "Resources cannot be allocated with Topology locality");
  EXPECT_EQ(engine.Snapshot(), before);
  EXPECT_EQ(store.saves, 0);
}

TEST(AllocationEngine, PlaceIsIdempotentAndReleaseReturnsEverything) {
  FakeCheckpointStore store;
  AllocationEngine engine(MakeAdmitter(), EngineOptions(), store);
  const std::vector<int> pool = engine.SharedPool();
  PodObservation pod = MakePod("a", "2", "2Gi", 1);
  ASSERT_EQ(engine.Place(pod).kind, PlacementOutcome::Kind::kAdmitted);
  EXPECT_TRUE(engine.Place(pod).already_known);
  EXPECT_EQ(engine.SharedPool().size(), pool.size() - 2);
  EXPECT_TRUE(engine.Release(pod.spec.uid));
  EXPECT_FALSE(engine.Release(pod.spec.uid));
  EXPECT_EQ(engine.SharedPool(), pool);
  EXPECT_EQ(engine.Find(pod.spec.uid), nullptr);
  for (const auto& zone : engine.Snapshot().zones) {
    EXPECT_EQ(zone.resources.at("memory").available, zone.resources.at("memory").allocatable);
  }
}

TEST(AllocationEngine, CheckpointFailureRollsBackSoNothingIsPinnedWithoutIt) {
  FakeCheckpointStore store;
  AllocationEngine engine(MakeAdmitter(), EngineOptions(), store);
  const NodeStateSnapshot before = engine.Snapshot();
  store.fail_saves = true;
  PodObservation pod = MakePod("a", "2", "1Gi", 1);
  PlacementOutcome out = engine.Place(pod);
  EXPECT_EQ(out.kind, PlacementOutcome::Kind::kCheckpointFailed);
  EXPECT_NE(out.message.find("disk full"), std::string::npos) << out.message;
  EXPECT_EQ(engine.Snapshot(), before);
  store.fail_saves = false;
  EXPECT_EQ(engine.Place(pod).kind, PlacementOutcome::Kind::kAdmitted);  // the retry works
}

TEST(AllocationEngine, PlaceAllIsPlaceInOrderWithOneCheckpoint) {
  FakeCheckpointStore batch_store, single_store;
  AllocationEngine batch(MakeAdmitter(), EngineOptions(), batch_store);
  AllocationEngine single(MakeAdmitter(), EngineOptions(), single_store);
  // Three pods of 3 CPUs on 2 nodes of 4 (CPU 0 reserved): the third cannot fit.
  std::vector<PodObservation> pods = {MakePod("a", "3", "1Gi", 1), MakePod("b", "3", "1Gi", 2),
                                      MakePod("c", "3", "1Gi", 3)};
  auto outcomes = batch.PlaceAll({&pods[0], &pods[1], &pods[2], &pods[0]});
  ASSERT_EQ(outcomes.size(), 4U);
  EXPECT_EQ(batch_store.saves, 1);
  for (std::size_t i = 0; i < pods.size(); ++i) {
    const PlacementOutcome expected = single.Place(pods[i]);
    EXPECT_EQ(outcomes[i].kind, expected.kind) << pods[i].spec.name;
    EXPECT_EQ(outcomes[i].reason, expected.reason) << pods[i].spec.name;
  }
  EXPECT_EQ(outcomes[2].kind, PlacementOutcome::Kind::kRejected);
  EXPECT_TRUE(outcomes[3].already_known);  // the same pod twice in a batch is placed once
  EXPECT_EQ(batch.CheckpointDocument()["memoryManagerState"],
            single.CheckpointDocument()["memoryManagerState"]);
  EXPECT_EQ(*batch_store.document, batch.CheckpointDocument());
}

TEST(AllocationEngine, PlaceAllRollsTheWholeBatchBackWhenItsCheckpointFails) {
  FakeCheckpointStore store;
  AllocationEngine engine(MakeAdmitter(), EngineOptions(), store);
  PodObservation first = MakePod("first", "1", "1Gi", 9);
  ASSERT_EQ(engine.Place(first).kind, PlacementOutcome::Kind::kAdmitted);
  const NodeStateSnapshot before = engine.Snapshot();
  store.fail_saves = true;
  PodObservation a = MakePod("a", "2", "1Gi", 1), b = MakePod("b", "2", "1Gi", 2);
  auto outcomes = engine.PlaceAll({&a, &b, &first});
  EXPECT_EQ(outcomes[0].kind, PlacementOutcome::Kind::kCheckpointFailed);
  EXPECT_EQ(outcomes[1].kind, PlacementOutcome::Kind::kCheckpointFailed);
  EXPECT_TRUE(outcomes[2].already_known);  // not part of the failed write: it stays
  EXPECT_EQ(engine.Snapshot(), before);
  EXPECT_EQ(engine.Find(a.spec.uid), nullptr);
  store.fail_saves = false;
  EXPECT_EQ(engine.PlaceAll({&a, &b})[1].kind, PlacementOutcome::Kind::kAdmitted);
}

TEST(AllocationEngine, SnapshotReportsZonesPodsAndGroups) {
  FakeCheckpointStore store;
  AllocationEngine engine(MakeAdmitter("best-effort"), EngineOptions(), store);
  PodObservation pod = MakePod("wide", "2", "6Gi", 1);  // memory only fits across both nodes
  ASSERT_EQ(engine.Place(pod).kind, PlacementOutcome::Kind::kAdmitted);
  NodeStateSnapshot s = engine.Snapshot();
  EXPECT_EQ(s.node_name, kNode);
  ASSERT_EQ(s.zones.size(), 2U);
  EXPECT_EQ(s.zones[0].resources.at("cpu").capacity, 4);
  EXPECT_EQ(s.zones[0].resources.at("cpu").allocatable, 3);    // CPU 0 reserved
  EXPECT_EQ(s.zones[1].cpus, (std::vector<int>{4, 5, 6, 7}));  // published as numalign.io/cpus
  EXPECT_EQ(s.zones[0].resources.at("memory").allocatable, static_cast<std::int64_t>(4 * kGi));
  ASSERT_EQ(s.memory_groups.size(), 1U);
  EXPECT_EQ(s.memory_groups[0].numa_ids, (std::vector<int>{0, 1}));
  EXPECT_EQ(s.memory_groups[0].number_of_assignments, 1);
  ASSERT_EQ(s.pods.size(), 1U);
  EXPECT_EQ(s.pods[0].numa_ids, (std::vector<int>{0, 1}));
  EXPECT_EQ(s.topology_manager_policy, "best-effort");
  EXPECT_EQ(s.pods[0].exclusive_cpus.at("app").size(), 2U);
}

TEST(AllocationEngine, RestartRestoresTheCheckpointAndReleasesWhatIsGone) {
  FakeCheckpointStore store;
  PodObservation a = MakePod("a", "2", "1Gi", 1);
  PodObservation b = MakePod("b", "3", "1Gi", 2);
  PodObservation c = MakePod("c", "1", "1Gi", 3);
  NodeStateSnapshot first;
  {
    AllocationEngine engine(MakeAdmitter(), EngineOptions(), store);
    for (const auto* p : {&a, &b, &c})
      ASSERT_EQ(engine.Place(*p).kind, PlacementOutcome::Kind::kAdmitted);
    ASSERT_TRUE(engine.Release(c.spec.uid));
    ASSERT_EQ(engine.Place(c).kind, PlacementOutcome::Kind::kAdmitted);
    first = engine.Snapshot();
  }
  AllocationEngine restarted(MakeAdmitter(), EngineOptions(), store);
  PodObservation c_done = c;
  c_done.terminated = true;
  RestoreReport report = restarted.Restore({b, a, c_done}, nullptr);
  EXPECT_EQ(report.checkpoint, RestoreReport::Checkpoint::kRestored) << report.problem;
  EXPECT_EQ(report.kept, (std::vector<std::string>{a.spec.uid, b.spec.uid}));
  EXPECT_EQ(report.released, (std::vector<std::string>{c.spec.uid}));
  EXPECT_TRUE(report.admitted.empty());
  EXPECT_EQ(restarted.ExclusiveCpus(a.spec.uid, "app"), first.pods[0].exclusive_cpus.at("app"));
  EXPECT_EQ(restarted.ExclusiveCpus(b.spec.uid, "app"), first.pods[1].exclusive_cpus.at("app"));
  EXPECT_GT(restarted.generation(), first.generation);
  EXPECT_EQ(restarted.Find(b.spec.uid)->sequence, 2U);
  // New pods continue the sequence.
  ASSERT_EQ(restarted.Place(MakePod("d", "1", "1Gi", 4)).kind, PlacementOutcome::Kind::kAdmitted);
  EXPECT_EQ(restarted.RecordsInOrder().back().sequence, 5U);
}

std::string PinnedOf(const AllocationEngine& engine, const PodObservation& pod) {
  numa::PinnedRecord r;
  r.node = kNode;
  r.pod_uid = pod.spec.uid;
  numa::PinnedContainer c;
  c.name = "app";
  c.sets.cpus = engine.ExclusiveCpus(pod.spec.uid, "app");
  c.sets.mems = engine.MemoryNuma(pod.spec.uid, "app").at("memory");
  c.exclusive = true;
  r.pod = c.sets;
  r.containers.push_back(c);
  return numa::SerializePinnedRecord(r);
}

TEST(AllocationEngine, CorruptedCheckpointIsRebuiltFromPinnedAnnotations) {
  FakeCheckpointStore store;
  PodObservation a = MakePod("a", "2", "1Gi", 1, "2026-01-01T00:00:01Z");
  PodObservation b = MakePod("b", "3", "1Gi", 2, "2026-01-01T00:00:02Z");
  PodObservation c = MakePod("c", "1", "1Gi", 3, "2026-01-01T00:00:03Z");  // never pinned
  NodeStateSnapshot first;
  {
    AllocationEngine engine(MakeAdmitter(), EngineOptions(), store);
    b.allocation_annotation = Decision(b, {0}, 3);  // make b take node 0, a then node 1
    ASSERT_EQ(engine.Place(b).source, PlacementSource::kExtender);
    a.allocation_annotation = Decision(a, {1}, 2);
    ASSERT_EQ(engine.Place(a).source, PlacementSource::kExtender);
    a.pinned_annotation = PinnedOf(engine, a);
    b.pinned_annotation = PinnedOf(engine, b);
    first = engine.Snapshot();
  }
  store.load_error = state::StateError{state::StateErrorKind::kChecksumMismatch, "f", "bad", 0};
  AllocationEngine restarted(MakeAdmitter(), EngineOptions(), store);
  a.allocation_annotation.reset();
  b.allocation_annotation.reset();
  RestoreReport report = restarted.Restore({c, b, a}, nullptr);
  EXPECT_EQ(report.checkpoint, RestoreReport::Checkpoint::kCorrupted);
  EXPECT_NE(report.problem.find("bad"), std::string::npos);
  EXPECT_EQ(report.rebuilt, (std::vector<std::string>{a.spec.uid, b.spec.uid}));
  EXPECT_EQ(report.admitted, (std::vector<std::string>{c.spec.uid}));
  EXPECT_EQ(restarted.ExclusiveCpus(a.spec.uid, "app"), first.pods[1].exclusive_cpus.at("app"));
  EXPECT_EQ(restarted.ExclusiveCpus(b.spec.uid, "app"), first.pods[0].exclusive_cpus.at("app"));
  EXPECT_EQ(restarted.MemoryNuma(b.spec.uid, "app").at("memory"), (std::vector<int>{0}));
  EXPECT_EQ(restarted.Find(a.spec.uid)->source, PlacementSource::kRebuilt);
  EXPECT_FALSE(report.save_error) << *report.save_error;
  // The rebuilt state is a valid checkpoint again.
  store.load_error.reset();
  AllocationEngine again(MakeAdmitter(), EngineOptions(), store);
  EXPECT_EQ(again.Restore({a, b, c}, nullptr).checkpoint, RestoreReport::Checkpoint::kRestored);
}

TEST(AllocationEngine, TamperedCheckpointContentIsDetectedAndRebuiltFromCgroups) {
  FakeCheckpointStore store;
  PodObservation a = MakePod("a", "2", "1Gi", 1);
  std::string pinned;
  {
    AllocationEngine engine(MakeAdmitter(), EngineOptions(), store);
    ASSERT_EQ(engine.Place(a).kind, PlacementOutcome::Kind::kAdmitted);
    pinned = PinnedOf(engine, a);
  }
  // The outer checksum is the store's job; the inner kubelet-layout CRC catches edits too.
  (*store.document)["memoryManagerState"]["machineState"]["0"]["numberOfAssignments"] = 7;
  AllocationEngine restarted(MakeAdmitter(), EngineOptions(), store);
  int reads = 0;
  RestoreReport report = restarted.Restore({a}, [&](const PodObservation&) {
    ++reads;
    std::string error;
    return numa::ParsePinnedRecord(pinned, &error);
  });
  EXPECT_EQ(report.checkpoint, RestoreReport::Checkpoint::kCorrupted);
  EXPECT_EQ(reads, 1);
  EXPECT_EQ(report.rebuilt, (std::vector<std::string>{a.spec.uid}));
}

TEST(AllocationEngine, ReAdmissionOrderDoesNotDependOnListOrder) {
  std::vector<PodObservation> pods = {
      MakePod("p1", "3", "3Gi", 5, "2026-01-01T00:00:02Z"),
      MakePod("p2", "3", "3Gi", 4, "2026-01-01T00:00:02Z"),  // same time: uid decides
      MakePod("p3", "2", "3Gi", 9, "2026-01-01T00:00:01Z"),
  };
  std::vector<std::string> expected = {pods[2].spec.uid, pods[1].spec.uid, pods[0].spec.uid};
  std::optional<NodeStateSnapshot> reference;
  std::sort(pods.begin(), pods.end(),
            [](const auto& x, const auto& y) { return x.spec.name < y.spec.name; });
  do {
    FakeCheckpointStore store;
    AllocationEngine engine(MakeAdmitter(), EngineOptions(), store);
    RestoreReport report = engine.Restore(pods, nullptr);
    EXPECT_EQ(report.checkpoint, RestoreReport::Checkpoint::kMissing);
    std::vector<std::string> order = report.admitted;
    order.insert(order.end(), report.rejected.begin(), report.rejected.end());
    EXPECT_EQ(order, (std::vector<std::string>{expected[0], expected[1], expected[2]}));
    if (!reference) reference = engine.Snapshot();
    EXPECT_EQ(engine.Snapshot(), *reference);
  } while (std::next_permutation(pods.begin(), pods.end(), [](const auto& x, const auto& y) {
    return x.spec.name < y.spec.name;
  }));
}

}  // namespace
}  // namespace numalign::agent
