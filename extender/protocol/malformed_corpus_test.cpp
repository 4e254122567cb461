// Replays malformed inputs through every parser (the fuzz target's entry point, without
// libFuzzer): each must be rejected with ProtocolError, never crash or throw anything else.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "extender/protocol/parser_exerciser.h"
#include "extender/protocol/protocol_error.h"
#include "extender/protocol/request_parser.h"

namespace numalign::extender::protocol {
namespace {

const std::string kValidFilterRequest =
    R"({"Pod":{"metadata":{"name":"p","namespace":"default","uid":"u1"},"spec":{"containers":)"
    R"([{"name":"c","resources":{"requests":{"cpu":"4","memory":"8Gi"}}}]}},"Nodes":null,)"
    R"("NodeNames":["worker-1","worker-2","worker-3"]})";

// Files named preempt_* and bind_* are bodies for those verbs; the rest are filter bodies.
TEST(MalformedCorpus, EveryFileIsRejectedCleanly) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(NUMALIGN_EXTENDER_CORPUS_DIR)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    SCOPED_TRACE(entry.path().filename().string());
    EXPECT_NO_THROW(exercise_request_parsers(content.str()));
    const auto name = entry.path().filename().string();
    if (name.starts_with("preempt_")) {
      EXPECT_THROW(parse_preemption_args(content.str()), ProtocolError);
    } else if (name.starts_with("bind_")) {
      EXPECT_THROW(parse_binding_args(content.str()), ProtocolError);
    } else {
      EXPECT_THROW(parse_extender_args(content.str()), ProtocolError);
    }
    ++files;
  }
  EXPECT_GE(files, 10);
}

TEST(MalformedCorpus, EveryTruncationOfAValidRequestIsRejected) {
  ASSERT_NO_THROW(parse_extender_args(kValidFilterRequest));
  for (std::size_t length = 0; length < kValidFilterRequest.size(); ++length) {
    const auto prefix = kValidFilterRequest.substr(0, length);
    EXPECT_THROW(parse_extender_args(prefix), ProtocolError) << "length " << length;
    EXPECT_NO_THROW(exercise_request_parsers(prefix));
  }
}

TEST(MalformedCorpus, WrongTypesForEveryField) {
  for (const auto* body : {
           R"({"Pod":{},"NodeNames":{"a":1}})",
           R"({"Pod":{},"NodeNames":[null]})",
           R"({"Pod":{},"NodeNames":[["nested"]]})",
           R"({"Pod":{},"Nodes":[]})",
           R"({"Pod":{},"Nodes":{"items":[1]}})",
           R"({"Pod":{},"Nodes":{"items":[{"metadata":{"name":7}}]}})",
           R"({"Pod":true})",
           R"(42)",
           R"("string")",
           R"(null)",
       }) {
    SCOPED_TRACE(body);
    EXPECT_THROW(parse_extender_args(body), ProtocolError);
    EXPECT_NO_THROW(exercise_request_parsers(body));
  }
}

TEST(MalformedCorpus, HugeNumbersAndOneMegabyteNames) {
  const std::string mega_name(1 << 20, 'n');
  const std::string body = R"({"Pod":{},"NodeNames":[")" + mega_name + R"("]})";
  EXPECT_THROW(parse_extender_args(body), ProtocolError);
  EXPECT_THROW(parse_binding_args(R"({"PodName":"p","PodNamespace":"n","PodUID":"u","Node":")" +
                                  mega_name + R"("})"),
               ProtocolError);
  EXPECT_NO_THROW(exercise_request_parsers(body));
  EXPECT_NO_THROW(exercise_request_parsers(R"([{"Host":"a","Score":1e308}])"));
  EXPECT_NO_THROW(exercise_request_parsers(R"([{"Host":"a","Score":-9223372036854775809}])"));
}

TEST(MalformedCorpus, DeepNestingIsRejectedWithoutRecursion) {
  const std::string deep(1'000'000, '[');
  EXPECT_THROW(parse_extender_args(deep), ProtocolError);
  EXPECT_NO_THROW(exercise_request_parsers(deep));
  const std::string deep_objects = std::string(100'000, '{');
  EXPECT_NO_THROW(exercise_request_parsers(deep_objects));
}

TEST(MalformedCorpus, InvalidUtf8InsideStringsIsRejected) {
  EXPECT_THROW(parse_extender_args(std::string("{\"Pod\":{},\"NodeNames\":[\"\xc3\x28\"]}")),
               ProtocolError);
  EXPECT_THROW(
      parse_extender_args(std::string("{\"Pod\":{\"x\":\"\xed\xa0\x80\"},\"NodeNames\":[]}")),
      ProtocolError);
}

}  // namespace
}  // namespace numalign::extender::protocol
