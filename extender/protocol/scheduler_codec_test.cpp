#include "extender/protocol/scheduler_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "extender/protocol/protocol_error.h"
#include "extender/protocol/reply_writer.h"
#include "extender/protocol/request_parser.h"

namespace numalign::extender::protocol {
namespace {

using ::testing::ElementsAre;

const nlohmann::json kPod = {{"metadata", {{"name", "p"}, {"namespace", "default"}, {"uid", "u1"}}},
                             {"spec", {{"containers", nlohmann::json::array()}}}};

TEST(SchedulerCodec, WritesExtenderArgsLikeGoInBothModes) {
  NodeCandidates names;
  names.names = {"w1", "w<2>"};
  EXPECT_EQ(write_extender_args(nlohmann::json::object(), names),
            R"({"Pod":{},"Nodes":null,"NodeNames":["w1","w\u003c2\u003e"]})");

  NodeCandidates objects;
  objects.names = {"n1"};
  objects.objects = std::vector<nlohmann::json>{{{"metadata", {{"name", "n1"}}}}};
  EXPECT_EQ(
      write_extender_args(nlohmann::json::object(), objects),
      R"({"Pod":{},"Nodes":{"metadata":{},"items":[{"metadata":{"name":"n1"}}]},"NodeNames":null})");
}

TEST(SchedulerCodec, ExtenderArgsRoundTripThroughTheServerParser) {
  NodeCandidates names;
  for (int i = 0; i < 5000; ++i) names.names.push_back("worker-" + std::to_string(i));
  const auto args = parse_extender_args(write_extender_args(kPod, names));
  EXPECT_EQ(args.pod, kPod);
  EXPECT_EQ(args.nodes.names, names.names);
  EXPECT_TRUE(args.nodes.node_cache_capable());
}

TEST(SchedulerCodec, FilterReplyRoundTripDistinguishesNullFromEmpty) {
  FilterResult result;
  result.node_names = {"a"};
  result.failed_nodes = {{"b", "why"}};
  const auto reply = parse_filter_reply(write_filter_result(result));
  ASSERT_TRUE(reply.node_names);
  EXPECT_THAT(*reply.node_names, ElementsAre("a"));
  EXPECT_FALSE(reply.nodes);
  EXPECT_EQ(reply.failed_nodes.at("b"), "why");

  const auto both_null = parse_filter_reply(R"({"Nodes":null,"NodeNames":null})");
  EXPECT_FALSE(both_null.node_names);
  EXPECT_FALSE(both_null.nodes);
  const auto lowercase =
      parse_filter_reply(R"({"nodenames":["x"],"failedNodes":{"y":"r"},"error":""})");
  EXPECT_THAT(*lowercase.node_names, ElementsAre("x"));
  EXPECT_EQ(lowercase.failed_nodes.at("y"), "r");
}

TEST(SchedulerCodec, HostPriorityListIsReadUnclamped) {
  const auto list = parse_host_priority_list(R"([{"Host":"a","Score":50},{"host":"b","score":3}])");
  EXPECT_EQ(list, (HostPriorityList{{"a", 50}, {"b", 3}}));
  EXPECT_THROW(parse_host_priority_list(R"({"Host":"a"})"), ProtocolError);
  EXPECT_THROW(parse_host_priority_list(R"([{"Host":"a","Score":1.5}])"), ProtocolError);
}

TEST(SchedulerCodec, BindingRoundTrip) {
  const BindingArgs args{"p", "ns", "uid-1", "w7"};
  EXPECT_EQ(write_binding_args(args),
            R"({"PodName":"p","PodNamespace":"ns","PodUID":"uid-1","Node":"w7"})");
  EXPECT_EQ(parse_binding_args(write_binding_args(args)), args);
  EXPECT_EQ(parse_binding_result(R"({"Error":"x"})").error, "x");
}

TEST(SchedulerCodec, PreemptionRoundTripInBothModes) {
  PreemptionArgs meta;
  meta.pod = kPod;
  meta.node_name_to_meta_victims = std::map<std::string, MetaVictims>{{"w3", {{{"a1"}}, 1}}};
  EXPECT_EQ(write_preemption_args(meta).find(R"("NodeNameToVictims":null)") != std::string::npos,
            true);
  const auto parsed = parse_preemption_args(write_preemption_args(meta));
  EXPECT_EQ(parsed.node_name_to_meta_victims->at("w3"), (MetaVictims{{{"a1"}}, 1}));

  PreemptionResult result;
  result.node_name_to_meta_victims["w3"] = {{{"a1"}, {"b2"}}, 0};
  EXPECT_EQ(parse_preemption_result(write_preemption_result(result)).node_name_to_meta_victims,
            result.node_name_to_meta_victims);
}

}  // namespace
}  // namespace numalign::extender::protocol
