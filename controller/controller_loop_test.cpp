#include "controller/controller_loop.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace numalign::controller {
namespace {

class CountingReconciler : public Reconciler {
 public:
  explicit CountingReconciler(bool fail) : fail_(fail) {}
  std::string_view Name() const override { return "counting"; }
  void ReconcileOnce() override {
    ++calls;
    if (fail_) throw std::runtime_error("list failed");
  }
  int calls = 0;

 private:
  bool fail_;
};

TEST(ControllerLoop, AFailingReconcilerDoesNotStopTheOthers) {
  auto failing = std::make_shared<CountingReconciler>(true);
  auto fine = std::make_shared<CountingReconciler>(false);
  ControllerLoop loop({failing, fine}, std::make_shared<kube::FakeClock>(),
                      std::chrono::seconds(30));
  loop.RunOnce();
  loop.RunOnce();
  EXPECT_EQ(failing->calls, 2);
  EXPECT_EQ(fine->calls, 2);
  EXPECT_EQ(loop.passes(), 2u);
}

TEST(ControllerLoop, RunsEverySyncPeriodUntilStopped) {
  auto fine = std::make_shared<CountingReconciler>(false);
  auto clock = std::make_shared<kube::FakeClock>();
  ControllerLoop loop({fine}, clock, std::chrono::seconds(30));
  std::jthread runner([&](std::stop_token stop) { loop.Run(stop); });
  ASSERT_TRUE(clock->WaitForSleepCalls(1));
  clock->Advance(std::chrono::seconds(30));
  ASSERT_TRUE(clock->WaitForSleepCalls(2));
  runner.request_stop();
  runner.join();
  EXPECT_EQ(fine->calls, 2);
}

// A reconciler that blocks until released: a call that never returns.
class BlockingReconciler : public Reconciler {
 public:
  std::string_view Name() const override { return "blocking"; }
  void ReconcileOnce() override {
    std::unique_lock lock(mu_);
    entered_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return released_; });
  }
  void WaitEntered() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return entered_; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false, released_ = false;
};

TEST(ControllerLoop, ReportsAStallOnlyWhileRunningAndPastTheGrace) {
  auto blocking = std::make_shared<BlockingReconciler>();
  auto clock = std::make_shared<kube::FakeClock>();
  ControllerLoop loop({blocking}, clock, std::chrono::seconds(30));
  EXPECT_EQ(loop.StallReason(std::chrono::minutes(1)), "") << "not running: a stand-by is live";
  std::jthread runner([&](std::stop_token stop) { loop.Run(stop); });
  blocking->WaitEntered();
  clock->Advance(std::chrono::seconds(59));
  EXPECT_EQ(loop.StallReason(std::chrono::minutes(1)), "");
  clock->Advance(std::chrono::seconds(2));
  EXPECT_NE(loop.StallReason(std::chrono::minutes(1)).find("no progress for 61s"),
            std::string::npos);
  blocking->Release();
  ASSERT_TRUE(clock->WaitForSleepCalls(1));
  EXPECT_EQ(loop.StallReason(std::chrono::minutes(1)), "") << "a completed pass is progress";
  runner.request_stop();
  runner.join();
  clock->Advance(std::chrono::minutes(5));
  EXPECT_EQ(loop.StallReason(std::chrono::minutes(1)), "") << "stopped loops are not stalled";
}

}  // namespace
}  // namespace numalign::controller
