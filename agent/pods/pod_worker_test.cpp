#include "agent/pods/pod_worker.h"

#include <gtest/gtest.h>

#include <future>

#include "agent/allocation/test_node.h"
#include "agent/pods/pod_test_doubles.h"

namespace numalign::agent {
namespace {

using namespace numalign::agent::testing;  // NOLINT: test helpers
using namespace std::chrono_literals;

// While the worker is busy, binds queue up; they are then placed with one checkpoint write and
// pinned, and only after all of them is the shared pool re-pinned, once.
TEST(PodWorker, QueuedBindsShareOneCheckpointAndPrecedeOneSharedPoolRepin) {
  Harness h;
  // A tick far away: only the idle hook can re-pin during this test.
  PodWorker worker(h.controller, std::chrono::hours(1));
  const PodObservation shared = Started(MakePod("shared", "500m", "100Mi", 1), 1);
  worker.Start({shared});
  ASSERT_TRUE(worker.WaitIdle(5s));

  // The blocker's pin holds the worker until the burst is queued behind it.
  const PodObservation blocker = Started(MakePod("blocker", "1", "100Mi", 2), 2);
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  h.pinner.on_pin = [&, released](const std::string& uid) {
    if (uid != blocker.spec.uid) return;
    entered.set_value();
    released.wait();
  };
  worker.Upsert(blocker);
  entered.get_future().wait();
  h.log.clear();
  std::vector<PodObservation> burst;
  for (int i = 0; i < 3; ++i) {
    burst.push_back(Started(MakePod("g" + std::to_string(i), "1", "100Mi", 10 + i), 10 + i));
    worker.Upsert(burst.back());
  }
  release.set_value();
  ASSERT_TRUE(worker.WaitIdle(5s));
  worker.Stop();

  // (The blocker's own pin was logged before the clear: its log entry follows the wait.)
  EXPECT_EQ(h.log,
            (std::vector<std::string>{"pin:" + blocker.spec.uid, "checkpoint",
                                      "pin:" + burst[0].spec.uid, "pin:" + burst[1].spec.uid,
                                      "pin:" + burst[2].spec.uid, "pin:" + shared.spec.uid}));
  EXPECT_EQ(h.pinner.last.at(shared.spec.uid).pod.cpus.Ids(), h.engine.SharedPool());
  EXPECT_FALSE(h.controller.SharedPoolRepinPending());
}

}  // namespace
}  // namespace numalign::agent
