#include "extender/protocol/reply_writer.h"

#include <gtest/gtest.h>

#include "extender/protocol/json_writer.h"

namespace numalign::extender::protocol {
namespace {

TEST(ReplyWriter, FilterReplyInNamesModeHasNullNodesAndAnArrayOfNames) {
  FilterResult result;
  result.node_names = {"worker-7"};
  result.failed_nodes = {{"worker-1", "TopologyAffinityError: no fit"}};
  result.failed_and_unresolvable_nodes = {{"worker-9", "no NUMA topology"}};
  EXPECT_EQ(
      write_filter_result(result),
      R"({"Nodes":null,"NodeNames":["worker-7"],"FailedNodes":{"worker-1":"TopologyAffinityError: no fit"},)"
      R"("FailedAndUnresolvableNodes":{"worker-9":"no NUMA topology"},"Error":""})");
}

TEST(ReplyWriter, NodeNamesIsAnArrayEvenWhenNothingIsFeasible) {
  // null NodeNames together with null Nodes would reject every node for another reason.
  EXPECT_EQ(
      write_filter_result(FilterResult{}),
      R"({"Nodes":null,"NodeNames":[],"FailedNodes":{},"FailedAndUnresolvableNodes":{},"Error":""})");
}

TEST(ReplyWriter, FilterReplyInObjectsModeCarriesNodeItems) {
  FilterResult result;
  result.node_names = {"n1"};
  result.nodes = std::vector<nlohmann::json>{{{"metadata", {{"name", "n1"}}}}};
  EXPECT_EQ(
      write_filter_result(result),
      R"({"Nodes":{"items":[{"metadata":{"name":"n1"}}]},"NodeNames":["n1"],"FailedNodes":{},)"
      R"("FailedAndUnresolvableNodes":{},"Error":""})");
}

TEST(ReplyWriter, PrioritizeReplyIsATopLevelArrayWithClampedScores) {
  EXPECT_EQ(write_host_priority_list({{"a", 9}, {"b", 50}, {"c", -3}}),
            R"([{"Host":"a","Score":9},{"Host":"b","Score":10},{"Host":"c","Score":0}])");
  EXPECT_EQ(write_host_priority_list({}), "[]");
  EXPECT_EQ(clamp_score(std::numeric_limits<std::int64_t>::max()), 10);
}

TEST(ReplyWriter, BindingAndErrorBodies) {
  EXPECT_EQ(write_binding_result({}), R"({"Error":""})");
  EXPECT_EQ(write_binding_result({"node gone"}), R"({"Error":"node gone"})");
  EXPECT_EQ(write_error_body("bad \"json\"\n"), R"({"Error":"bad \"json\"\n"})");
}

TEST(ReplyWriter, PreemptionReplyIsAlwaysMetaVictims) {
  PreemptionResult result;
  result.node_name_to_meta_victims["w3"] = MetaVictims{{{"a1"}, {"b2"}}, 0};
  EXPECT_EQ(
      write_preemption_result(result),
      R"({"NodeNameToMetaVictims":{"w3":{"Pods":[{"UID":"a1"},{"UID":"b2"}],"NumPDBViolations":0}}})");
}

TEST(JsonWriter, ReplacesInvalidUtf8AndEscapesControlCharacters) {
  std::string out;
  append_json_string(out, std::string("ok \xff\xfe end\x01"));
  EXPECT_EQ(out, "\"ok \xEF\xBF\xBD\xEF\xBF\xBD end\\u0001\"");
  out.clear();
  append_json_string(out, "caf\xC3\xA9 \xF0\x9F\x98\x80");  // valid 2- and 4-byte sequences pass
  EXPECT_EQ(out, "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");
  out.clear();
  append_json_string(out, "\xED\xA0\x80");  // an encoded surrogate is invalid
  EXPECT_EQ(out, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(JsonWriter, EscapesHtmlCharactersLikeGo) {
  std::string out;
  append_json_string(out, "<a&b> \xE2\x80\xA8", HtmlEscape::kLikeGo);
  EXPECT_EQ(out, R"("\u003ca\u0026b\u003e \u2028")");
}

}  // namespace
}  // namespace numalign::extender::protocol
