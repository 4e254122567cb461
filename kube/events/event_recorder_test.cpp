#include "kube/events/event_recorder.h"

#include <gtest/gtest.h>

#include "kube/rest/api_error.h"

namespace numalign::kube {
namespace {

using namespace std::chrono_literals;

struct RecordingSink final : EventSink {
  Json Create(const std::string& ns, const Json& event) override {
    if (fail_creates) throw ApiError(500, "InternalError", "boom");
    created.push_back({ns, event});
    return event;
  }
  Json Patch(const std::string& ns, const std::string& name, const Json& patch) override {
    if (patch_not_found) throw ApiError(404, "NotFound", "events \"" + name + "\" not found");
    patched.push_back({ns + "/" + name, patch});
    return patch;
  }
  std::vector<std::pair<std::string, Json>> created;
  std::vector<std::pair<std::string, Json>> patched;
  bool patch_not_found = false;
  bool fail_creates = false;
};

const Json kPod = {
    {"kind", "Pod"},
    {"apiVersion", "v1"},
    {"metadata",
     {{"name", "web"}, {"namespace", "demo"}, {"uid", "u-1"}, {"resourceVersion", "5"}}}};
const Json kNode = {
    {"kind", "Node"}, {"apiVersion", "v1"}, {"metadata", {{"name", "node-a"}, {"uid", "n-1"}}}};

class EventRecorderTest : public ::testing::Test {
 protected:
  ApiEventRecorder Recorder(int burst = 25) {
    EventRecorderOptions options;
    options.component = "numalign-agent";
    options.host = "node-a";
    options.burst = burst;
    return ApiEventRecorder(sink, options, clock);
  }
  std::shared_ptr<RecordingSink> sink = std::make_shared<RecordingSink>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
};

TEST_F(EventRecorderTest, CreatesACoreV1Event) {
  auto recorder = Recorder();
  recorder.Event(kPod, kEventTypeWarning, "PinningFailed", "no NUMA node fits");
  ASSERT_EQ(sink->created.size(), 1u);
  const auto& [ns, e] = sink->created[0];
  EXPECT_EQ(ns, "demo");
  EXPECT_EQ(e["kind"], "Event");
  EXPECT_EQ(e["metadata"]["namespace"], "demo");
  EXPECT_TRUE(e["metadata"]["name"].get<std::string>().starts_with("web."));
  EXPECT_EQ(e["involvedObject"]["kind"], "Pod");
  EXPECT_EQ(e["involvedObject"]["namespace"], "demo");
  EXPECT_EQ(e["involvedObject"]["uid"], "u-1");
  EXPECT_EQ(e["type"], "Warning");
  EXPECT_EQ(e["reason"], "PinningFailed");
  EXPECT_EQ(e["count"], 1);
  EXPECT_EQ(e["source"]["component"], "numalign-agent");
  EXPECT_EQ(e["source"]["host"], "node-a");
  EXPECT_EQ(e["firstTimestamp"], e["lastTimestamp"]);
}

TEST_F(EventRecorderTest, ClusterScopedObjectsGoToDefault) {
  auto recorder = Recorder();
  recorder.Event(kNode, kEventTypeNormal, "TopologyPublished", "2 zones");
  ASSERT_EQ(sink->created.size(), 1u);
  EXPECT_EQ(sink->created[0].first, "default");
  EXPECT_FALSE(sink->created[0].second["involvedObject"].contains("namespace"));
}

TEST_F(EventRecorderTest, RepeatsPatchTheSeries) {
  auto recorder = Recorder();
  recorder.Event(kPod, kEventTypeWarning, "PinningFailed", "no fit");
  clock->Advance(10s);
  recorder.Event(kPod, kEventTypeWarning, "PinningFailed", "no fit");
  recorder.Event(kPod, kEventTypeWarning, "PinningFailed", "no fit");
  recorder.Event(kPod, kEventTypeWarning, "PinningFailed", "other message");
  ASSERT_EQ(sink->created.size(), 2u);
  ASSERT_EQ(sink->patched.size(), 2u);
  const std::string name = sink->created[0].second["metadata"]["name"];
  EXPECT_EQ(sink->patched[0].first, "demo/" + name);
  EXPECT_EQ(sink->patched[0].second["count"], 2);
  EXPECT_EQ(sink->patched[1].second["count"], 3);
  EXPECT_NE(sink->patched[0].second["lastTimestamp"], sink->created[0].second["lastTimestamp"]);
}

TEST_F(EventRecorderTest, ExpiredSeriesStartsOver) {
  auto recorder = Recorder();
  recorder.Event(kPod, kEventTypeNormal, "Pinned", "cpus 0-3");
  sink->patch_not_found = true;
  clock->Advance(1s);
  recorder.Event(kPod, kEventTypeNormal, "Pinned", "cpus 0-3");
  EXPECT_EQ(sink->created.size(), 2u);
  EXPECT_EQ(sink->created[1].second["count"], 1);
}

TEST_F(EventRecorderTest, RateLimitIsPerObject) {
  auto recorder = Recorder(/*burst=*/3);
  for (int i = 0; i < 5; ++i) recorder.Event(kPod, kEventTypeNormal, "R", "m" + std::to_string(i));
  EXPECT_EQ(sink->created.size(), 3u);
  EXPECT_EQ(recorder.dropped(), 2u);
  // Another object has its own bucket.
  recorder.Event(kNode, kEventTypeNormal, "R", "m");
  EXPECT_EQ(sink->created.size(), 4u);
  // One token per 5 minutes refills.
  clock->Advance(300s);
  recorder.Event(kPod, kEventTypeNormal, "R", "later");
  EXPECT_EQ(sink->created.size(), 5u);
}

TEST_F(EventRecorderTest, SinkFailuresAreSwallowedAndCounted) {
  auto recorder = Recorder();
  sink->fail_creates = true;
  EXPECT_NO_THROW(recorder.Event(kPod, kEventTypeNormal, "R", "m"));
  EXPECT_EQ(recorder.failed(), 1u);
  EXPECT_NO_THROW(recorder.Event(Json("not an object"), kEventTypeNormal, "R", "m"));
}

TEST(FakeEventRecorderTest, KeepsReadableLines) {
  FakeEventRecorder recorder;
  recorder.Event(kPod, kEventTypeWarning, "TopologyAffinityError", "no fit");
  EXPECT_EQ(recorder.events(),
            std::vector<std::string>{"Warning TopologyAffinityError demo/web: no fit"});
}

}  // namespace
}  // namespace numalign::kube
