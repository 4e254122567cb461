#include "kube/rest/watch_decoder.h"

#include <gtest/gtest.h>

#include "kube/errors.h"
#include "kube/rest/api_error.h"

namespace numalign::kube {
namespace {

const std::string kAdded =
    R"({"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","namespace":"d","resourceVersion":"10"}}})"
    "\n";
const std::string kBookmark =
    R"({"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"12","creationTimestamp":null},"spec":{"containers":null},"status":{}}})"
    "\n";
const std::string kGone =
    R"({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 [357]","reason":"Expired","code":410}})"
    "\n";

TEST(WatchDecoderTest, OneEventPerLine) {
  WatchDecoder decoder;
  auto events = decoder.Feed(kAdded + kBookmark);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, WatchEventType::kAdded);
  EXPECT_EQ(events[0].object["metadata"]["name"], "a");
  EXPECT_EQ(events[1].type, WatchEventType::kBookmark);
  EXPECT_EQ(events[1].object["metadata"]["resourceVersion"], "12");
}

TEST(WatchDecoderTest, PartialLinesAreBuffered) {
  WatchDecoder decoder;
  const std::string both = kAdded + kBookmark;
  std::vector<WatchEvent> all;
  // Feed in awkward pieces: byte by byte for a while, then the rest.
  for (std::size_t i = 0; i < 50; ++i) {
    for (auto& e : decoder.Feed(both.substr(i, 1))) all.push_back(e);
  }
  EXPECT_TRUE(all.empty());
  EXPECT_TRUE(decoder.has_partial_line());
  for (auto& e : decoder.Feed(both.substr(50))) all.push_back(e);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_FALSE(decoder.has_partial_line());
}

TEST(WatchDecoderTest, FinalLineWithoutNewline) {
  WatchDecoder decoder;
  EXPECT_TRUE(decoder.Feed(kAdded.substr(0, kAdded.size() - 1)).empty());
  auto rest = decoder.Finish();
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].type, WatchEventType::kAdded);
}

TEST(WatchDecoderTest, ErrorEventCarriesGoneStatus) {
  WatchDecoder decoder;
  auto events = decoder.Feed(kGone);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, WatchEventType::kError);
  EXPECT_TRUE(ApiError::FromStatusJson(events[0].object.dump(), 500).IsGone());
}

TEST(WatchDecoderTest, BlankLinesAreIgnored) {
  WatchDecoder decoder;
  EXPECT_EQ(decoder.Feed("\n\r\n" + kAdded + "\n").size(), 1u);
}

TEST(WatchDecoderTest, MalformedLinesThrowDecodeError) {
  WatchDecoder a;
  EXPECT_THROW(a.Feed("{not json}\n"), DecodeError);
  WatchDecoder b;
  EXPECT_THROW(b.Feed(R"({"type":"ADDED"})"
                      "\n"),
               DecodeError);
  WatchDecoder c;
  EXPECT_THROW(c.Feed(R"({"type":"RENAMED","object":{}})"
                      "\n"),
               DecodeError);
  WatchDecoder d;
  EXPECT_THROW(d.Feed("[1,2]\n"), DecodeError);
}

}  // namespace
}  // namespace numalign::kube
