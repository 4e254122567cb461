#include "controller/nrt_lifecycle/staleness.h"

#include <gtest/gtest.h>

#include "controller/nrt_lifecycle/stale_attributes.h"
#include "kube/clock/time_format.h"

namespace numalign::controller {
namespace {

using namespace std::chrono_literals;

// An NRT as numalign-agent publishes it, plus `attributes`.
kube::NodeResourceTopology WithAttributes(std::vector<kube::NrtAttribute> attributes) {
  kube::NodeResourceTopology nrt;
  nrt.name = "worker-1";
  nrt.attributes = std::move(attributes);
  nrt.attributes.push_back({std::string(kPinningModeAttribute), "agent"});
  return nrt;
}

TEST(Staleness, FreshHeartbeatNeedsNothing) {
  kube::FakeClock clock;
  auto nrt =
      WithAttributes({{std::string(kHeartbeatAttribute), kube::FormatTime(clock.Now() - 30s)}});
  EXPECT_EQ(DecideStaleness(nrt, clock.Now(), 3min).action, StaleAction::kNone);
}

TEST(Staleness, OldHeartbeatIsMarkedWithAReason) {
  kube::FakeClock clock;
  auto nrt =
      WithAttributes({{std::string(kHeartbeatAttribute), kube::FormatTime(clock.Now() - 5min)}});
  auto decision = DecideStaleness(nrt, clock.Now(), 3min);
  EXPECT_EQ(decision.action, StaleAction::kMark);
  EXPECT_NE(decision.reason.find("5m0s old (limit 3m0s)"), std::string::npos) << decision.reason;
}

TEST(Staleness, MissingOrGarbageHeartbeatIsStale) {
  kube::FakeClock clock;
  EXPECT_EQ(DecideStaleness(WithAttributes({}), clock.Now(), 3min).action, StaleAction::kMark);
  auto garbage = WithAttributes({{std::string(kHeartbeatAttribute), "yesterday-ish"}});
  EXPECT_EQ(DecideStaleness(garbage, clock.Now(), 3min).action, StaleAction::kMark);
}

TEST(Staleness, OtherProducersNrtsAreNeverMarkedAndOldMarksAreTakenBack) {
  kube::FakeClock clock;
  kube::NodeResourceTopology foreign;
  foreign.name = "nfd-worker";
  EXPECT_EQ(DecideStaleness(foreign, clock.Now(), 3min).action, StaleAction::kNone);
  foreign.attributes = {{std::string(kStaleAttribute), "true"}};
  EXPECT_EQ(DecideStaleness(foreign, clock.Now(), 3min).action, StaleAction::kClear);
}

TEST(Staleness, AlreadyMarkedIsNotRewrittenAndIsClearedWhenFresh) {
  kube::FakeClock clock;
  const auto old_beat = kube::FormatTime(clock.Now() - 10min);
  auto marked = WithAttributes(
      {{std::string(kHeartbeatAttribute), old_beat}, {std::string(kStaleAttribute), "true"}});
  EXPECT_EQ(DecideStaleness(marked, clock.Now(), 3min).action, StaleAction::kNone);
  marked.attributes[0].value = kube::FormatTime(clock.Now());
  EXPECT_EQ(DecideStaleness(marked, clock.Now(), 3min).action, StaleAction::kClear);
}

TEST(Staleness, FutureHeartbeatFromASkewedClockIsFresh) {
  kube::FakeClock clock;
  auto nrt =
      WithAttributes({{std::string(kHeartbeatAttribute), kube::FormatTime(clock.Now() + 10min)}});
  EXPECT_EQ(DecideStaleness(nrt, clock.Now(), 3min).action, StaleAction::kNone);
}

TEST(Staleness, FormatsDurationsLikeGo) {
  EXPECT_EQ(FormatDuration(45s), "45s");
  EXPECT_EQ(FormatDuration(3min), "3m0s");
  EXPECT_EQ(FormatDuration(1h + 2min + 3s), "1h2m3s");
}

}  // namespace
}  // namespace numalign::controller
