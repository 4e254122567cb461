#include "extender/protocol/fast_extender_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "extender/protocol/parser_exerciser.h"
#include "extender/protocol/scheduler_codec.h"

namespace numalign::extender::protocol {
namespace {

using ::testing::ElementsAre;

TEST(FastExtenderArgs, ReadsTheSchedulersOwnEncoding) {
  NodeCandidates candidates;
  for (int i = 0; i < 5000; ++i) candidates.names.push_back("worker-" + std::to_string(i));
  const nlohmann::json pod = {{"metadata", {{"name", "p"}, {"annotations", {{"a", "x\"]}{["}}}}}};
  const auto body = write_extender_args(pod, candidates);
  const auto fast = try_parse_extender_args_fast(body, {});
  ASSERT_TRUE(fast);
  EXPECT_EQ(fast->pod, pod);
  EXPECT_EQ(fast->nodes.names, candidates.names);
  EXPECT_TRUE(fast->nodes.node_cache_capable());
  EXPECT_NO_THROW(exercise_request_parsers(body));
}

TEST(FastExtenderArgs, AcceptsWhitespaceAnyKeyCaseAndOrder) {
  const auto fast = try_parse_extender_args_fast(
      " {\n \"nodenames\" : [ \"a\" , \"b\" ] ,\t\"NODES\":null, \"pod\" : { } }\r\n", {});
  ASSERT_TRUE(fast);
  EXPECT_THAT(fast->nodes.names, ElementsAre("a", "b"));
  EXPECT_TRUE(try_parse_extender_args_fast(R"({"Pod":{},"NodeNames":null})", {}));
  EXPECT_TRUE(try_parse_extender_args_fast(R"({"Pod":{},"NodeNames":[]})", {}));
}

TEST(FastExtenderArgs, LeavesEverythingUnusualToTheFullParser) {
  for (const auto* body : {
           R"({"Pod":{},"NodeNames":["a\u0062"]})",         // escapes
           "{\"Pod\":{},\"NodeNames\":[\"caf\xc3\xa9\"]}",  // non-ASCII
           R"({"Pod":{},"Nodes":{"items":[]}})",            // node objects
           R"({"Pod":{},"Extra":1,"NodeNames":[]})",        // unknown key
           R"({"Pod":{},"pod":{},"NodeNames":[]})",         // a field twice
           R"({"Pod":null,"NodeNames":[]})",                // errors
           R"({"Pod":{},"NodeNames":[""]})",
           R"({"Pod":{},"NodeNames":["a",]})",
           R"({"Pod":{"a":},"NodeNames":[]})",
           R"({"Pod":{}}})",
           R"({"Pod":{},"NodeNames":["a"]} x)",
           R"({})",
           R"({"Pod":{"a":[}]},"NodeNames":[]})",
       }) {
    SCOPED_TRACE(body);
    EXPECT_FALSE(try_parse_extender_args_fast(body, {}));
    EXPECT_NO_THROW(exercise_request_parsers(body));
  }
}

TEST(FastExtenderArgs, RespectsTheDepthLimitLikeTheFullParser) {
  RequestLimits limits;
  limits.max_depth = 4;
  EXPECT_TRUE(try_parse_extender_args_fast(R"({"Pod":{"a":{"b":{}}},"NodeNames":[]})", limits));
  EXPECT_FALSE(
      try_parse_extender_args_fast(R"({"Pod":{"a":{"b":{"c":{}}}},"NodeNames":[]})", limits));
}

}  // namespace
}  // namespace numalign::extender::protocol
