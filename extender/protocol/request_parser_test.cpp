#include "extender/protocol/request_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "extender/protocol/protocol_error.h"

namespace numalign::extender::protocol {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string error_of(auto&& parse) {
  try {
    parse();
  } catch (const ProtocolError& e) {
    return e.what();
  }
  return "no error";
}

TEST(RequestParser, ReadsNodeCacheCapableArgsWithGoKeys) {
  const auto args = parse_extender_args(
      R"({"Pod":{"metadata":{"name":"p","namespace":"default","uid":"u1"}},"Nodes":null,)"
      R"("NodeNames":["worker-1","worker-7"]})");
  EXPECT_EQ(args.pod["metadata"]["name"], "p");
  EXPECT_THAT(args.nodes.names, ElementsAre("worker-1", "worker-7"));
  EXPECT_TRUE(args.nodes.node_cache_capable());
}

TEST(RequestParser, MatchesKeysIgnoringCaseLikeGo) {
  // Old extender/v1 copies used lowercase tags; Go's decoder accepts any casing.
  const auto args = parse_extender_args(R"({"pod":{"metadata":{}},"nodenames":["a"]})");
  EXPECT_THAT(args.nodes.names, ElementsAre("a"));
  const auto mixed = parse_extender_args(R"({"POD":{},"nodeNames":["b"]})");
  EXPECT_THAT(mixed.nodes.names, ElementsAre("b"));
}

TEST(RequestParser, PrefersTheExactKeyOverAFoldedOne) {
  const auto args =
      parse_extender_args(R"({"Pod":{},"nodenames":["folded"],"NodeNames":["exact"]})");
  EXPECT_THAT(args.nodes.names, ElementsAre("exact"));
}

TEST(RequestParser, ReadsFullNodeObjectsWhenNotCacheCapable) {
  const auto args = parse_extender_args(
      R"({"Pod":{},"Nodes":{"metadata":{},"items":[{"metadata":{"name":"n1"},"status":{}},)"
      R"({"metadata":{"name":"n2"}}]},"NodeNames":null})");
  EXPECT_FALSE(args.nodes.node_cache_capable());
  EXPECT_THAT(args.nodes.names, ElementsAre("n1", "n2"));
  ASSERT_TRUE(args.nodes.objects);
  EXPECT_EQ((*args.nodes.objects)[0]["metadata"]["name"], "n1");
}

TEST(RequestParser, BothNullMeansNoCandidatesInNamesMode) {
  const auto args = parse_extender_args(R"({"Pod":{},"Nodes":null,"NodeNames":null})");
  EXPECT_TRUE(args.nodes.names.empty());
  EXPECT_TRUE(args.nodes.node_cache_capable());
}

TEST(RequestParser, IgnoresUnknownKeys) {
  const auto args = parse_extender_args(R"({"Pod":{},"NodeNames":["a"],"Extra":{"x":[1,2]}})");
  EXPECT_THAT(args.nodes.names, ElementsAre("a"));
}

TEST(RequestParser, RejectsWhatGoCannotDecode) {
  EXPECT_THAT(error_of([] { parse_extender_args(R"({"Pod":{},"NodeNames":"a"})"); }),
              HasSubstr("NodeNames"));
  EXPECT_THAT(error_of([] { parse_extender_args(R"({"Pod":{},"NodeNames":[1]})"); }),
              HasSubstr("NodeNames[]"));
  EXPECT_THAT(error_of([] { parse_extender_args(R"({"Pod":[],"NodeNames":[]})"); }),
              HasSubstr("Pod"));
  EXPECT_THAT(error_of([] { parse_extender_args(R"({"NodeNames":[]})"); }), HasSubstr("Pod"));
  EXPECT_THAT(error_of([] { parse_extender_args(R"([])"); }), HasSubstr("ExtenderArgs"));
  EXPECT_THAT(error_of([] { parse_extender_args(R"({"Pod":{},"NodeNames":[)"); }),
              HasSubstr("invalid JSON"));
  EXPECT_THAT(
      error_of([] { parse_extender_args(R"({"Pod":{},"Nodes":{"items":[{"metadata":{}}]}})"); }),
      HasSubstr("metadata.name"));
}

TEST(RequestParser, RejectsNamesNoNodeCanHave) {
  EXPECT_THAT(error_of([] { parse_extender_args(R"({"Pod":{},"NodeNames":[""]})"); }),
              HasSubstr("empty node name"));
  const std::string long_name(254, 'x');
  EXPECT_THAT(
      error_of([&] { parse_extender_args(R"({"Pod":{},"NodeNames":[")" + long_name + R"("]})"); }),
      HasSubstr("exceeds the limit of 253"));
}

TEST(RequestParser, RejectsDeepNestingBeforeParsing) {
  std::string deep = R"({"Pod":{"x":)" + std::string(200, '[') + std::string(200, ']') + "}}";
  EXPECT_THAT(error_of([&] { parse_extender_args(deep); }), HasSubstr("nested deeper"));
  // Brackets inside strings do not count.
  const auto args =
      parse_extender_args(R"({"Pod":{"x":")" + std::string(500, '[') + R"("},"NodeNames":[]})");
  EXPECT_TRUE(args.nodes.names.empty());
}

TEST(RequestParser, ReadsBindingArgs) {
  const auto args =
      parse_binding_args(R"({"PodName":"p","PodNamespace":"ns","PodUID":"u","Node":"worker-7"})");
  EXPECT_EQ(args, (BindingArgs{"p", "ns", "u", "worker-7"}));
  const auto lower =
      parse_binding_args(R"({"podname":"p","podnamespace":"ns","poduid":"u","node":"n"})");
  EXPECT_EQ(lower.node, "n");
  EXPECT_THAT(
      error_of([] { parse_binding_args(R"({"PodName":"p","PodNamespace":"ns","PodUID":"u"})"); }),
      HasSubstr("Node is missing"));
  EXPECT_THAT(error_of([] {
                parse_binding_args(R"({"PodName":1,"PodNamespace":"ns","PodUID":"u","Node":"n"})");
              }),
              HasSubstr("PodName"));
}

TEST(RequestParser, ReadsPreemptionArgsInBothModes) {
  const auto meta = parse_preemption_args(
      R"({"Pod":{},"NodeNameToVictims":null,"NodeNameToMetaVictims":{"w3":{"Pods":[{"UID":"a1"}],"NumPDBViolations":2}}})");
  ASSERT_TRUE(meta.node_name_to_meta_victims);
  EXPECT_FALSE(meta.node_name_to_victims);
  EXPECT_EQ(meta.node_name_to_meta_victims->at("w3"), (MetaVictims{{{"a1"}}, 2}));

  const auto full = parse_preemption_args(
      R"({"Pod":{},"NodeNameToVictims":{"w3":{"Pods":[{"metadata":{"uid":"a1"}}],"NumPDBViolations":0}},"NodeNameToMetaVictims":null})");
  ASSERT_TRUE(full.node_name_to_victims);
  EXPECT_EQ(full.node_name_to_victims->at("w3").pods.at(0)["metadata"]["uid"], "a1");

  EXPECT_THAT(error_of([] {
                parse_preemption_args(
                    R"({"Pod":{},"NodeNameToMetaVictims":{"w":{"NumPDBViolations":1.5}}})");
              }),
              HasSubstr("int64"));
  EXPECT_THAT(
      error_of([] {
        parse_preemption_args(
            R"({"Pod":{},"NodeNameToMetaVictims":{"w":{"NumPDBViolations":99999999999999999999}}})");
      }),
      HasSubstr("int64"));
}

}  // namespace
}  // namespace numalign::extender::protocol
