#include "controller/recovery/pod_recoverer.h"

#include <gtest/gtest.h>

#include "kube/clock/time_format.h"
#include "kube/objects/pod.h"
#include "kube/rest/resource.h"
#include "kube/testing/fake_api_client.h"

namespace numalign::controller {
namespace {

using namespace std::chrono_literals;
using kube::Json;
namespace res = kube::resources;

class PodRecovererTest : public ::testing::Test {
 protected:
  Json FailedPod(const std::string& name, bool owned, const std::string& reason) {
    Json pod = {{"apiVersion", "v1"},
                {"kind", "Pod"},
                {"metadata",
                 {{"name", name},
                  {"namespace", "ns"},
                  {"uid", "uid-" + name + "-" + std::to_string(++generation)},
                  {"creationTimestamp", kube::FormatTime(clock->Now())}}},
                {"status", {{"phase", "Failed"}, {"reason", reason}, {"message", "no fit"}}}};
    if (owned) {
      pod["metadata"]["ownerReferences"] = {{{"apiVersion", "apps/v1"},
                                             {"kind", "ReplicaSet"},
                                             {"name", "web"},
                                             {"uid", "rs-uid"},
                                             {"controller", true}}};
    }
    return pod;
  }
  int Deletions() {
    int n = 0;
    for (const auto& a : api->actions()) n += a.starts_with("DELETE pods ");
    return n;
  }

  int generation = 0;
  std::shared_ptr<kube::FakeApiClient> api = std::make_shared<kube::FakeApiClient>();
  std::shared_ptr<kube::FakeClock> clock = std::make_shared<kube::FakeClock>();
  std::shared_ptr<kube::FakeEventRecorder> events = std::make_shared<kube::FakeEventRecorder>();
  std::shared_ptr<ControllerMetrics> metrics = std::make_shared<ControllerMetrics>();
  PodRecoverer recoverer{api, clock, events, metrics, {.backoff = {.base = 10s, .max = 80s}}};
};

TEST_F(PodRecovererTest, OwnedPodRejectedByTheKubeletIsDeletedWithAnEvent) {
  api->Put(res::Pods(), FailedPod("web-1", true, "TopologyAffinityError"));
  recoverer.ReconcileOnce();
  EXPECT_FALSE(api->Find(res::Pods(), "ns", "web-1"));
  ASSERT_EQ(events->events().size(), 1u);
  EXPECT_NE(events->events()[0].find("NUMARecovery"), std::string::npos);
  EXPECT_EQ(metrics->recoveries("TopologyAffinityError", "deleted"), 1u);
}

TEST_F(PodRecovererTest, PinningFailedAnnotationCountsAsAFailure) {
  Json pod = FailedPod("web-1", true, "");
  pod["status"] = {{"phase", "Running"}};
  pod["metadata"]["annotations"] = {{"numalign.io/pinning-failed", "TopologyAffinityError: x"}};
  api->Put(res::Pods(), pod);
  recoverer.ReconcileOnce();
  EXPECT_EQ(metrics->recoveries("PinningFailed", "deleted"), 1u);
}

TEST_F(PodRecovererTest, OtherFailuresAndHealthyPodsAreLeftAlone) {
  api->Put(res::Pods(), FailedPod("oom", true, "OutOfcpu"));
  Json ok = FailedPod("ok", true, "");
  ok["status"] = {{"phase", "Running"}};
  api->Put(res::Pods(), ok);
  recoverer.ReconcileOnce();
  EXPECT_EQ(Deletions(), 0);
  EXPECT_TRUE(events->events().empty());
}

TEST_F(PodRecovererTest, OwnerThatNeverFitsBacksOffExponentiallyInsteadOfLooping) {
  // The owner recreates the pod at once and the kubelet rejects it at once, every time.
  std::vector<kube::Clock::TimePoint> deleted_at;
  const auto start = clock->Now();
  for (int second = 0; second < 600; ++second) {
    if (!api->Find(res::Pods(), "ns", "web-1")) {
      api->Put(res::Pods(), FailedPod("web-1", true, "TopologyAffinityError"));
    }
    const int before = Deletions();
    recoverer.ReconcileOnce();
    if (Deletions() > before) deleted_at.push_back(clock->Now());
    clock->Advance(1s);
  }
  // Recoveries at 0, 10, 30, 70, 150, then every 80 s: 150+80k < 600 -> k <= 5.
  ASSERT_EQ(deleted_at.size(), 10u);
  EXPECT_EQ(deleted_at[1] - start, 10s);
  EXPECT_EQ(deleted_at[2] - start, 30s);
  EXPECT_EQ(deleted_at[3] - start, 70s);
  EXPECT_EQ(deleted_at[4] - start, 150s);
  EXPECT_EQ(deleted_at[5] - start, 230s);
  EXPECT_EQ(recoverer.Attempts("rs-uid"), 10);
  // One backoff event per failed pod, not one per pass.
  EXPECT_LE(metrics->recoveries("TopologyAffinityError", "backoff"), 10u);
}

TEST_F(PodRecovererTest, BackoffResetsWhenTheOwnerRunsAReadyPodAgain) {
  api->Put(res::Pods(), FailedPod("web-1", true, "TopologyAffinityError"));
  recoverer.ReconcileOnce();
  clock->Advance(10s);
  api->Put(res::Pods(), FailedPod("web-1", true, "TopologyAffinityError"));
  recoverer.ReconcileOnce();
  EXPECT_EQ(recoverer.Attempts("rs-uid"), 2);
  clock->Advance(5s);
  Json healthy = FailedPod("web-2", true, "");
  healthy["status"] = {{"phase", "Running"},
                       {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}};
  api->Put(res::Pods(), healthy);
  recoverer.ReconcileOnce();
  EXPECT_EQ(recoverer.Attempts("rs-uid"), 0);
  api->Put(res::Pods(), FailedPod("web-3", true, "UnexpectedAdmissionError"));
  recoverer.ReconcileOnce();
  EXPECT_FALSE(api->Find(res::Pods(), "ns", "web-3")) << "recovered at once after the reset";
}

TEST_F(PodRecovererTest, StandalonePodGetsAConditionOnceAndIsNotDeleted) {
  api->Put(res::Pods(), FailedPod("solo", false, "SMTAlignmentError"));
  recoverer.ReconcileOnce();
  recoverer.ReconcileOnce();
  auto pod = api->Find(res::Pods(), "ns", "solo");
  ASSERT_TRUE(pod);
  kube::PodView view(*pod);
  EXPECT_EQ(view.ConditionStatus(kRecoverableCondition), "False");
  EXPECT_EQ(metrics->recoveries("SMTAlignmentError", "standalone"), 1u);
  EXPECT_EQ(Deletions(), 0);
  int status_writes = 0;
  for (const auto& a : api->actions()) status_writes += a == "PUT pods ns/solo/status";
  EXPECT_EQ(status_writes, 1);
}

}  // namespace
}  // namespace numalign::controller
