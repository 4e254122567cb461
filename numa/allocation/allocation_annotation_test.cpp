#include "numa/allocation/allocation_annotation.h"

#include <gtest/gtest.h>

#include "numa/allocation/pinned_annotation.h"

namespace numalign::numa {
namespace {

AllocationDecision SampleDecision() {
  AllocationDecision d;
  d.node = "worker-1";
  d.pod_uid = "uid-1";
  d.containers.push_back({"init", 0, {{"memory", {1}}}});
  d.containers.push_back({"app", 4, {{"cpu", {0}}, {"memory", {0, 1}}, {"hugepages-1Gi", {0}}}});
  return d;
}

TEST(AllocationAnnotation, RoundTrips) {
  const AllocationDecision d = SampleDecision();
  std::string error;
  auto parsed = ParseAllocationDecision(SerializeAllocationDecision(d), &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(*parsed, d);
  EXPECT_EQ(parsed->Find("app")->AllNumaNodes(), (std::vector<int>{0, 1}));
  EXPECT_EQ(parsed->Find("missing"), nullptr);
}

TEST(AllocationAnnotation, DocumentedExampleParses) {
  std::string error;
  auto parsed = ParseAllocationDecision(
      R"({"version":"v1","node":"worker-1","podUID":"5f0c","containers":[
          {"name":"app","exclusiveCPUs":4,"numa":{"cpu":[0],"memory":[0],"hugepages-1Gi":[0]}},
          {"name":"sidecar"}]})",
      &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(parsed->containers[1].exclusive_cpus, 0);
  EXPECT_TRUE(parsed->containers[1].numa.empty());
}

struct BadCase {
  const char* text;
  const char* expected_error_part;
};

TEST(AllocationAnnotation, RejectsMalformedWithTheFieldNamed) {
  const BadCase cases[] = {
      {"not json", "not valid JSON"},
      {"[1]", "must be a JSON object"},
      {R"({"node":"n","podUID":"u","containers":[]})", "version: required field missing"},
      {R"({"version":"v2","node":"n","podUID":"u","containers":[]})", "unsupported version \"v2\""},
      {R"({"version":"v1","node":"n","podUID":"u","containers":[],"extra":1})",
       "extra: unknown field"},
      {R"({"version":"v1","podUID":"u","containers":[]})", "node: required field missing"},
      {R"({"version":"v1","node":"","podUID":"u","containers":[]})", "node: must not be empty"},
      {R"({"version":"v1","node":"n","podUID":"u"})", "containers: required field missing"},
      {R"({"version":"v1","node":"n","podUID":"u","containers":{}})",
       "containers: must be an array"},
      {R"({"version":"v1","node":"n","podUID":"u","containers":[{"name":"a"},{"name":"a"}]})",
       "containers[1].name: duplicate container"},
      {R"({"version":"v1","node":"n","podUID":"u","containers":[{"name":"a","exclusiveCPUs":-1}]})",
       "containers[0].exclusiveCPUs: -1 is out of range"},
      {R"({"version":"v1","node":"n","podUID":"u","containers":[{"name":"a","exclusiveCPUs":1e30}]})",
       "exclusiveCPUs: must be an integer"},
      {R"({"version":"v1","node":"n","podUID":"u","containers":[{"name":"a","numa":{"memory":[99]}}]})",
       "containers[0].numa.memory[0]: NUMA node id 99 is out of range [0, 63]"},
      {R"({"version":"v1","node":"n","podUID":"u","containers":[{"name":"a","numa":{"memory":[1,0]}}]})",
       "ascending and unique"},
      {R"({"version":"v1","node":"n","podUID":"u","containers":[{"name":"a","numa":{"memory":[]}}]})",
       "must not be empty"},
      {R"({"version":"v1","node":"n","podUID":"u","containers":[{"name":"a","numa":{"gpu":[0]}}]})",
       "numa.gpu: unknown resource"},
      {R"({"version":"v1","node":"n","podUID":"u","containers":[{"name":"a","numa":{"cpu":["0"]}}]})",
       "numa.cpu[0]: must be an integer"},
  };
  for (const auto& c : cases) {
    std::string error;
    EXPECT_FALSE(ParseAllocationDecision(c.text, &error)) << c.text;
    EXPECT_NE(error.find(c.expected_error_part), std::string::npos) << c.text << " -> " << error;
    EXPECT_EQ(error.rfind("numalign.io/allocation: ", 0), 0U) << error;
  }
}

TEST(AllocationAnnotation, RefusesOversizeInput) {
  std::string error;
  EXPECT_FALSE(ParseAllocationDecision(std::string(kMaxAnnotationBytes + 1, ' '), &error));
  EXPECT_NE(error.find("more than the limit"), std::string::npos) << error;
}

TEST(PinnedAnnotation, RoundTrips) {
  PinnedRecord r;
  r.node = "worker-1";
  r.pod_uid = "uid-1";
  r.pod = {{0, 1, 2, 3, 8}, {0}};
  r.containers.push_back({"app", {{2, 3}, {0}}, true});
  r.containers.push_back({"side", {{0, 1, 8}, {0}}, false});
  const std::string text = SerializePinnedRecord(r);
  EXPECT_NE(text.find(R"("cpus":"0-3,8")"), std::string::npos) << text;
  std::string error;
  auto parsed = ParsePinnedRecord(text, &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(*parsed, r);
  EXPECT_TRUE(parsed->Find("app")->exclusive);
}

TEST(PinnedAnnotation, RejectsMalformed) {
  const BadCase cases[] = {
      {R"({"version":"v0","node":"n","podUID":"u","pod":{"cpus":"0","mems":"0"},"containers":[]})",
       "unsupported version"},
      {R"({"version":"v1","node":"n","podUID":"u","containers":[]})",
       "pod: required field missing"},
      {R"({"version":"v1","node":"n","podUID":"u","pod":{"cpus":"","mems":"0"},"containers":[]})",
       "pod.cpus: must not be empty"},
      {R"({"version":"v1","node":"n","podUID":"u","pod":{"cpus":"3-1","mems":"0"},"containers":[]})",
       "pod.cpus: "},
      {R"({"version":"v1","node":"n","podUID":"u","pod":{"cpus":"0-2000000000","mems":"0"},"containers":[]})",
       "out of range"},
      {R"({"version":"v1","node":"n","podUID":"u","pod":{"cpus":"0","mems":"0"},"containers":[{"name":"a","cpus":"0","mems":"0","exclusive":"yes"}]})",
       "containers[0].exclusive: must be a boolean"},
      {R"({"version":"v1","node":"n","podUID":"u","pod":{"cpus":"0","mems":"0"},"containers":[{"name":"a","cpus":"0","mems":"0","x":1}]})",
       "containers[0].x: unknown field"},
  };
  for (const auto& c : cases) {
    std::string error;
    EXPECT_FALSE(ParsePinnedRecord(c.text, &error)) << c.text;
    EXPECT_NE(error.find(c.expected_error_part), std::string::npos) << c.text << " -> " << error;
  }
}

}  // namespace
}  // namespace numalign::numa
