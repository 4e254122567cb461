#include "agent/publish/nrt_publisher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>

#include "agent/publish/fake_node_state_source.h"
#include "kube/clock/time_format.h"

namespace numalign::agent::publish {
namespace {

using namespace std::chrono_literals;
using TimePoint = kube::Clock::TimePoint;

class RecordingSink : public NrtSink {
 public:
  std::string NodeUid(const std::string&) override {
    std::lock_guard lock(mutex_);
    ++uid_lookups;
    if (fail_uid) throw std::runtime_error("nodes \"n1\" not found");
    return "uid-1";
  }
  void Apply(const nlohmann::json& nrt) override {
    std::unique_lock lock(mutex_);
    ++entered;
    applied_cv_.notify_all();
    released_cv_.wait(lock, [&] { return !hold; });
    if (failures_left > 0) {
      --failures_left;
      throw std::runtime_error("connection refused");
    }
    applied.push_back(nrt);
    applied_cv_.notify_all();
  }
  bool WaitForApplies(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return applied_cv_.wait_for(lock, timeout, [&] { return applied.size() >= n; });
  }
  void Hold() {
    std::lock_guard lock(mutex_);
    hold = true;
  }
  bool WaitForEntered(int n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return applied_cv_.wait_for(lock, timeout, [&] { return entered >= n; });
  }
  void Release() {
    std::lock_guard lock(mutex_);
    hold = false;
    released_cv_.notify_all();
  }
  size_t Count() {
    std::lock_guard lock(mutex_);
    return applied.size();
  }

  std::mutex mutex_;
  std::condition_variable applied_cv_;
  std::condition_variable released_cv_;
  std::vector<nlohmann::json> applied;
  int failures_left = 0;
  int uid_lookups = 0;
  int entered = 0;
  bool fail_uid = false;
  bool hold = false;
};

NodeStateSnapshot Snapshot() {
  NodeStateSnapshot s;
  s.node_name = "n1";
  s.generation = 1;
  s.topology_manager_policy = "single-numa-node";
  s.topology_manager_scope = "container";
  s.pinning_mode = "agent";
  NumaZoneState zone;
  zone.numa_id = 0;
  zone.distances = {{0, 10}};
  zone.resources["cpu"] = {8, 8, 8};
  s.zones = {zone};
  return s;
}

std::string Attribute(const nlohmann::json& nrt, std::string_view name) {
  for (const auto& a : nrt["attributes"]) {
    if (a["name"] == name) return a["value"];
  }
  return "<missing>";
}

struct Fixture {
  FakeNodeStateSource source{Snapshot()};
  std::shared_ptr<RecordingSink> sink = std::make_shared<RecordingSink>();
  std::shared_ptr<kube::FakeClock> clock = std::make_shared<kube::FakeClock>();
  TimePoint t0 = clock->Now();

  NrtPublisherOptions Options() {
    NrtPublisherOptions o;
    o.coalesce_window = 200ms;
    o.heartbeat_interval = 60s;
    o.retry_backoff = {.initial = 1000ms, .max = 8000ms, .factor = 2, .jitter = 0};
    return o;
  }
};

TEST(NrtPublisherTest, FirstRunPublishesAtOnceWithOwnerFromTheNode) {
  Fixture f;
  NrtPublisher publisher(f.source, f.sink, f.Options(), f.clock);
  const TimePoint next = publisher.RunOnce(f.t0);
  ASSERT_EQ(f.sink->Count(), 1u);
  const auto& nrt = f.sink->applied[0];
  EXPECT_EQ(nrt["metadata"]["ownerReferences"][0]["uid"], "uid-1");
  EXPECT_EQ(nrt["metadata"]["ownerReferences"][0]["kind"], "Node");
  EXPECT_EQ(Attribute(nrt, kube::kHeartbeatAttribute), kube::FormatTime(f.t0));
  EXPECT_EQ(next, f.t0 + 5s);  // nothing due: the generation poll
}

TEST(NrtPublisherTest, SourceThatKnowsNothingYetIsNotPublished) {
  Fixture f;
  f.source.Change([](NodeStateSnapshot& s) { s.generation = std::uint64_t(-1); });  // -> 0
  ASSERT_EQ(f.source.Generation(), 0u);
  NrtPublisher publisher(f.source, f.sink, f.Options(), f.clock);
  publisher.RunOnce(f.t0);
  publisher.NotifyChange(f.t0);
  publisher.RunOnce(f.t0 + 1s);
  EXPECT_EQ(f.sink->Count(), 0u);
  EXPECT_EQ(f.sink->uid_lookups, 0);
  f.source.Change([](NodeStateSnapshot&) {});
  publisher.RunOnce(f.t0 + 2s);
  EXPECT_EQ(f.sink->Count(), 1u);
}

TEST(NrtPublisherTest, BurstOfChangesIsOneWriteWithinTheWindow) {
  Fixture f;
  NrtPublisher publisher(f.source, f.sink, f.Options(), f.clock);
  publisher.RunOnce(f.t0);
  ASSERT_EQ(f.sink->Count(), 1u);

  const TimePoint t1 = f.t0 + 10s;
  for (int i = 0; i < 5; ++i) {
    f.source.Change([i](NodeStateSnapshot& s) { s.zones[0].resources["cpu"].available = 7 - i; });
    publisher.NotifyChange(t1 + i * 20ms);
  }
  EXPECT_EQ(publisher.RunOnce(t1 + 100ms), t1 + 200ms);  // window counts from the first change
  EXPECT_EQ(f.sink->Count(), 1u);
  publisher.RunOnce(t1 + 200ms);
  ASSERT_EQ(f.sink->Count(), 2u);
  EXPECT_EQ(f.sink->applied[1]["zones"][0]["resources"][0]["available"], "3");
  EXPECT_EQ(Attribute(f.sink->applied[1], kube::kStateGenerationAttribute), "6");
  EXPECT_EQ(publisher.stats().writes, 2u);
}

TEST(NrtPublisherTest, UnchangedObjectIsNotWritten) {
  Fixture f;
  NrtPublisher publisher(f.source, f.sink, f.Options(), f.clock);
  publisher.RunOnce(f.t0);
  publisher.NotifyChange(f.t0 + 1s);  // a signal with nothing new behind it
  publisher.RunOnce(f.t0 + 2s);
  publisher.RunOnce(f.t0 + 30s);
  EXPECT_EQ(f.sink->Count(), 1u);
  EXPECT_EQ(publisher.stats().skipped_unchanged, 1u);
}

TEST(NrtPublisherTest, HeartbeatRewritesAnUnchangedObjectWhenDue) {
  Fixture f;
  NrtPublisher publisher(f.source, f.sink, f.Options(), f.clock);
  EXPECT_EQ(publisher.RunOnce(f.t0), f.t0 + 5s);
  EXPECT_EQ(publisher.RunOnce(f.t0 + 58s), f.t0 + 60s);
  EXPECT_EQ(f.sink->Count(), 1u);
  publisher.RunOnce(f.t0 + 60s);
  ASSERT_EQ(f.sink->Count(), 2u);
  EXPECT_EQ(Attribute(f.sink->applied[1], kube::kHeartbeatAttribute), kube::FormatTime(f.t0 + 60s));
  EXPECT_EQ(publisher.stats().heartbeat_writes, 1u);
}

TEST(NrtPublisherTest, HeartbeatZeroDisablesIt) {
  Fixture f;
  auto options = f.Options();
  options.heartbeat_interval = 0ms;
  NrtPublisher publisher(f.source, f.sink, options, f.clock);
  publisher.RunOnce(f.t0);
  publisher.RunOnce(f.t0 + 1h);
  EXPECT_EQ(f.sink->Count(), 1u);
}

TEST(NrtPublisherTest, FailedWritesRetryWithBackoffAndCarryNewChanges) {
  Fixture f;
  f.sink->failures_left = 2;
  NrtPublisher publisher(f.source, f.sink, f.Options(), f.clock);
  EXPECT_EQ(publisher.RunOnce(f.t0), f.t0 + 1000ms);
  EXPECT_EQ(publisher.stats().failures, 1u);
  EXPECT_EQ(publisher.stats().last_error, "apply failed: connection refused");

  f.source.Change([](NodeStateSnapshot& s) { s.zones[0].resources["cpu"].available = 4; });
  publisher.NotifyChange(f.t0 + 100ms);
  EXPECT_EQ(publisher.RunOnce(f.t0 + 500ms), f.t0 + 1000ms);   // waits for the retry
  EXPECT_EQ(publisher.RunOnce(f.t0 + 1000ms), f.t0 + 3000ms);  // second failure, doubled
  EXPECT_EQ(f.sink->Count(), 0u);
  publisher.RunOnce(f.t0 + 3000ms);
  ASSERT_EQ(f.sink->Count(), 1u);
  EXPECT_EQ(f.sink->applied[0]["zones"][0]["resources"][0]["available"], "4");
  EXPECT_EQ(publisher.stats().failures, 2u);
}

TEST(NrtPublisherTest, MissingNodeIsRetriedNotPublishedWithoutOwner) {
  Fixture f;
  f.sink->fail_uid = true;
  NrtPublisher publisher(f.source, f.sink, f.Options(), f.clock);
  EXPECT_EQ(publisher.RunOnce(f.t0), f.t0 + 1000ms);
  EXPECT_EQ(f.sink->Count(), 0u);
  f.sink->fail_uid = false;
  publisher.RunOnce(f.t0 + 1000ms);
  EXPECT_EQ(f.sink->Count(), 1u);
  publisher.RunOnce(f.t0 + 70s);
  EXPECT_EQ(f.sink->uid_lookups, 2);  // looked up once successfully, then cached
}

TEST(NrtPublisherTest, UnbuildableSnapshotIsReportedNotRetriedInALoop) {
  Fixture f;
  f.source.Change([](NodeStateSnapshot& s) { s.node_name.clear(); });
  auto options = f.Options();
  options.node_uid = "given";
  NrtPublisher publisher(f.source, f.sink, options, f.clock);
  EXPECT_EQ(publisher.RunOnce(f.t0), f.t0 + 5s);
  EXPECT_EQ(publisher.stats().build_errors, 1u);
  publisher.RunOnce(f.t0 + 5s);
  EXPECT_EQ(publisher.stats().build_errors, 1u);
  EXPECT_EQ(f.sink->Count(), 0u);
}

TEST(NrtPublisherTest, ThreadRepublishesWithinOneSecondAndNeverBlocksTheWriter) {
  FakeNodeStateSource source{Snapshot()};
  auto sink = std::make_shared<RecordingSink>();
  NrtPublisherOptions options;
  options.coalesce_window = 100ms;
  NrtPublisher publisher(source, sink, options);
  publisher.Start();
  ASSERT_TRUE(sink->WaitForApplies(1, 2s));

  // While an apply hangs (API server stalled), the allocation path still returns at once.
  sink->Hold();
  source.Change([](NodeStateSnapshot& s) { s.zones[0].resources["cpu"].available = 6; });
  ASSERT_TRUE(sink->WaitForEntered(2, 2s));  // the publisher is stuck in Apply now
  const auto started = std::chrono::steady_clock::now();
  source.Change([](NodeStateSnapshot& s) { s.zones[0].resources["cpu"].available = 5; });
  EXPECT_LT(std::chrono::steady_clock::now() - started, 50ms);
  sink->Release();

  const auto changed = std::chrono::steady_clock::now();
  source.Change([](NodeStateSnapshot& s) { s.zones[0].resources["cpu"].available = 2; });
  ASSERT_TRUE(sink->WaitForApplies(2, 2s));
  // Wait for the write that carries the last change.
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard lock(sink->mutex_);
      if (sink->applied.back()["zones"][0]["resources"][0]["available"] == "2") break;
    }
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - changed, 1s);
  publisher.Stop();
  std::lock_guard lock(sink->mutex_);
  EXPECT_EQ(sink->applied.back()["zones"][0]["resources"][0]["available"], "2");
  EXPECT_LE(sink->applied.size(), 3u);  // the burst coalesced
}

}  // namespace
}  // namespace numalign::agent::publish
