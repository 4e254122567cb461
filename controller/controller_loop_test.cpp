#include "controller/controller_loop.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace numalign::controller
