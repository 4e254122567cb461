#include "kube/leaderelection/leader_elector.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <thread>

#include "kube/errors.h"
#include "kube/rest/api_error.h"

namespace numalign::kube {
namespace {

using namespace std::chrono_literals;

// One Lease shared by several candidates, with the API's optimistic concurrency.
struct LeaseState {
  std::mutex mu;
  std::optional<LeaseRecord> record;
  int version = 0;
  bool unreachable = false;
  int writes = 0;
};

class MemoryLeaseLock final : public LeaseLock {
 public:
  explicit MemoryLeaseLock(std::shared_ptr<LeaseState> state) : state_(std::move(state)) {}
  std::optional<LeaseRecord> Get() override {
    std::lock_guard lock(state_->mu);
    if (state_->unreachable) throw TransportError("connection refused");
    seen_ = state_->version;
    return state_->record;
  }
  void Create(const LeaseRecord& record) override {
    std::lock_guard lock(state_->mu);
    if (state_->unreachable) throw TransportError("connection refused");
    if (state_->record) throw ApiError(409, "AlreadyExists", "exists");
    Write(record);
  }
  void Update(const LeaseRecord& record) override {
    std::lock_guard lock(state_->mu);
    if (state_->unreachable) throw TransportError("connection refused");
    if (seen_ != state_->version) throw ApiError(409, "Conflict", "stale");
    Write(record);
  }
  std::string Describe() const override { return "test/lease"; }

 private:
  void Write(const LeaseRecord& record) {
    state_->record = record;
    seen_ = ++state_->version;
    ++state_->writes;
  }
  std::shared_ptr<LeaseState> state_;
  int seen_ = -1;
};

class LeaderElectionTest : public ::testing::Test {
 protected:
  LeaderElector Candidate(const std::string& id, LeaderCallbacks callbacks = {}) {
    LeaderElectionOptions options;
    options.identity = id;
    options.resource_name = "numalign-controller";
    return LeaderElector(std::make_shared<MemoryLeaseLock>(state), options, std::move(callbacks),
                         clock);
  }
  LeaseRecord Record() {
    std::lock_guard lock(state->mu);
    return *state->record;
  }

  std::shared_ptr<LeaseState> state = std::make_shared<LeaseState>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
};

TEST_F(LeaderElectionTest, AcquiresAFreshLease) {
  auto a = Candidate("a");
  EXPECT_TRUE(a.TryAcquireOrRenew());
  EXPECT_TRUE(a.IsLeader());
  const LeaseRecord r = Record();
  EXPECT_EQ(r.holder_identity, "a");
  EXPECT_EQ(r.lease_duration_seconds, 15);
  EXPECT_EQ(r.lease_transitions, 0);
  EXPECT_EQ(r.acquire_time, clock->Now());
}

TEST_F(LeaderElectionTest, RenewKeepsAcquireTime) {
  auto a = Candidate("a");
  ASSERT_TRUE(a.TryAcquireOrRenew());
  const auto acquired = clock->Now();
  clock->Advance(2s);
  ASSERT_TRUE(a.TryAcquireOrRenew());
  EXPECT_EQ(Record().acquire_time, acquired);
  EXPECT_EQ(Record().renew_time, clock->Now());
  EXPECT_EQ(Record().lease_transitions, 0);
}

TEST_F(LeaderElectionTest, OthersWaitForExpiryObservedLocally) {
  auto a = Candidate("a");
  std::vector<std::string> seen;
  LeaderCallbacks watch_leader;
  watch_leader.on_new_leader = [&](const std::string& id) { seen.push_back(id); };
  auto b = Candidate("b", watch_leader);
  ASSERT_TRUE(a.TryAcquireOrRenew());
  EXPECT_FALSE(b.TryAcquireOrRenew());
  EXPECT_EQ(b.Leader(), "a");
  clock->Advance(14s);
  EXPECT_FALSE(b.TryAcquireOrRenew());
  // a renews: b restarts its count from when it sees the change.
  ASSERT_TRUE(a.TryAcquireOrRenew());
  clock->Advance(1s);
  EXPECT_FALSE(b.TryAcquireOrRenew());
  clock->Advance(14s);
  EXPECT_FALSE(b.TryAcquireOrRenew());
  clock->Advance(1s);
  EXPECT_TRUE(b.TryAcquireOrRenew());
  EXPECT_TRUE(b.IsLeader());
  EXPECT_EQ(Record().holder_identity, "b");
  EXPECT_EQ(Record().lease_transitions, 1);
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));
  // The old leader now sees it has lost.
  EXPECT_FALSE(a.TryAcquireOrRenew());
  EXPECT_FALSE(a.IsLeader());
}

TEST_F(LeaderElectionTest, ConcurrentTakeoverHasOneWinner) {
  auto a = Candidate("a");
  ASSERT_TRUE(a.TryAcquireOrRenew());
  auto b = Candidate("b");
  auto c = Candidate("c");
  EXPECT_FALSE(b.TryAcquireOrRenew());
  EXPECT_FALSE(c.TryAcquireOrRenew());
  clock->Advance(16s);
  // Both read the expired lease, then both write: the second write conflicts.
  auto lock_b = std::make_shared<MemoryLeaseLock>(state);
  auto lock_c = std::make_shared<MemoryLeaseLock>(state);
  ASSERT_TRUE(lock_b->Get());
  ASSERT_TRUE(lock_c->Get());
  lock_b->Update({"b", 15, clock->Now(), clock->Now(), 1});
  EXPECT_THROW(lock_c->Update({"c", 15, clock->Now(), clock->Now(), 1}), ApiError);
}

TEST_F(LeaderElectionTest, ReleaseHandsOverAtOnce) {
  auto a = Candidate("a");
  auto b = Candidate("b");
  ASSERT_TRUE(a.TryAcquireOrRenew());
  EXPECT_FALSE(b.TryAcquireOrRenew());
  EXPECT_TRUE(a.Release());
  EXPECT_EQ(Record().holder_identity, "");
  EXPECT_EQ(Record().lease_duration_seconds, 1);
  EXPECT_TRUE(b.TryAcquireOrRenew());
  EXPECT_EQ(Record().lease_transitions, 1);
}

TEST_F(LeaderElectionTest, InvalidTimingsAreRejected) {
  LeaderElectionOptions options;
  options.identity = "a";
  options.lease_duration = 10s;
  options.renew_deadline = 10s;
  EXPECT_THROW(LeaderElector(std::make_shared<MemoryLeaseLock>(state), options, {}, clock),
               std::invalid_argument);
  options.lease_duration = 15s;
  options.retry_period = 9s;
  EXPECT_THROW(LeaderElector(std::make_shared<MemoryLeaseLock>(state), options, {}, clock),
               std::invalid_argument);
}

// Records the leader lifecycle from Run's threads.
struct Lifecycle {
  std::mutex mu;
  std::condition_variable_any cv;
  bool started = false, work_stopped = false, stopped = false;

  LeaderCallbacks Callbacks() {
    LeaderCallbacks c;
    c.on_started_leading = [this](std::stop_token stop) {
      std::unique_lock lock(mu);
      started = true;
      cv.notify_all();
      cv.wait(lock, stop, [] { return false; });
      work_stopped = true;
    };
    c.on_stopped_leading = [this] {
      std::lock_guard lock(mu);
      stopped = true;
      cv.notify_all();
    };
    return c;
  }
  bool WaitStarted() {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, 5s, [&] { return started; });
  }
};

TEST_F(LeaderElectionTest, RunLosesLeadershipAfterTheRenewDeadline) {
  Lifecycle life;
  auto a = Candidate("a", life.Callbacks());
  std::atomic<bool> done = false;
  std::jthread runner([&](std::stop_token stop) {
    a.Run(stop);
    done = true;
  });
  ASSERT_TRUE(life.WaitStarted());
  ASSERT_TRUE(clock->WaitForSleepCalls(1));  // first renew wait
  {
    std::lock_guard lock(state->mu);
    state->unreachable = true;
  }
  // Renewals fail from t=2s; the cycle started at 2s gives up at 12s.
  for (int step = 1; step <= 5; ++step) {
    clock->Advance(2s);
    ASSERT_TRUE(clock->WaitForSleepCalls(step + 1)) << "step " << step;
  }
  EXPECT_FALSE(done);
  EXPECT_TRUE(a.IsLeader());
  clock->Advance(2s);
  runner.join();
  EXPECT_TRUE(done);
  std::lock_guard lock(life.mu);
  EXPECT_TRUE(life.work_stopped);
  EXPECT_TRUE(life.stopped);
}

TEST_F(LeaderElectionTest, RunRenewsAndReleasesOnCleanStop) {
  Lifecycle life;
  auto a = Candidate("a", life.Callbacks());
  std::jthread runner([&](std::stop_token stop) { a.Run(stop); });
  ASSERT_TRUE(life.WaitStarted());
  for (int step = 1; step <= 3; ++step) {
    ASSERT_TRUE(clock->WaitForSleepCalls(step));
    clock->Advance(2s);
  }
  ASSERT_TRUE(clock->WaitForSleepCalls(4));
  EXPECT_EQ(Record().holder_identity, "a");
  EXPECT_EQ(Record().renew_time, clock->Now());
  runner.request_stop();
  runner.join();
  EXPECT_EQ(Record().holder_identity, "");
  EXPECT_EQ(Record().lease_duration_seconds, 1);
  std::lock_guard lock(life.mu);
  EXPECT_TRUE(life.work_stopped);
  EXPECT_TRUE(life.stopped);
}

TEST_F(LeaderElectionTest, CampaignWaitsForTheHolder) {
  auto holder = Candidate("holder");
  ASSERT_TRUE(holder.TryAcquireOrRenew());
  Lifecycle life;
  auto b = Candidate("b", life.Callbacks());
  std::jthread runner([&](std::stop_token stop) { b.Run(stop); });
  // Retries every 2-4.4 s (jittered); the holder is gone, so b takes over after 15 s.
  ASSERT_TRUE(clock->WaitForSleepCalls(1));
  for (int i = 0; i < 60; ++i) {
    {
      std::lock_guard lock(life.mu);
      if (life.started) break;
    }
    clock->Advance(1s);
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(life.WaitStarted());
  EXPECT_EQ(Record().holder_identity, "b");
  EXPECT_EQ(Record().lease_transitions, 1);
  runner.request_stop();
}

}  // namespace
}  // namespace numalign::kube
