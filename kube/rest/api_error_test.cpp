#include "kube/rest/api_error.h"

#include <gtest/gtest.h>

namespace numalign::kube {
namespace {

TEST(ApiErrorTest, ParsesInvalidStatusWithCauses) {
  // From transcripts/10-events.md.
  const std::string body =
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Event \"noinv\" is invalid: involvedObject.namespace: Invalid value: \"\": does not match event.namespace","reason":"Invalid","details":{"name":"noinv","kind":"Event","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: \"\": does not match event.namespace","field":"involvedObject.namespace"}]},"code":422})";
  const ApiError e = ApiError::FromResponse(422, body);
  EXPECT_EQ(e.code(), 422);
  EXPECT_TRUE(e.IsInvalid());
  EXPECT_TRUE(IsInvalid(e));
  EXPECT_FALSE(e.IsConflict());
  EXPECT_EQ(e.name(), "noinv");
  EXPECT_EQ(e.kind(), "Event");
  ASSERT_EQ(e.causes().size(), 1u);
  EXPECT_EQ(e.causes()[0].field, "involvedObject.namespace");
  EXPECT_EQ(e.InvalidFields(), std::vector<std::string>{"involvedObject.namespace"});
  EXPECT_NE(std::string(e.what()).find("does not match"), std::string::npos);
}

TEST(ApiErrorTest, ClassifiesReasons) {
  auto status = [](const std::string& reason, int code) {
    return R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"m","reason":")" +
           reason + R"(","details":{"name":"x","kind":"pods"},"code":)" + std::to_string(code) +
           "}\n";
  };
  EXPECT_TRUE(ApiError::FromResponse(404, status("NotFound", 404)).IsNotFound());
  EXPECT_TRUE(ApiError::FromResponse(409, status("AlreadyExists", 409)).IsAlreadyExists());
  EXPECT_FALSE(ApiError::FromResponse(409, status("AlreadyExists", 409)).IsConflict());
  EXPECT_TRUE(ApiError::FromResponse(409, status("Conflict", 409)).IsConflict());
  EXPECT_TRUE(ApiError::FromResponse(410, status("Expired", 410)).IsGone());
  EXPECT_TRUE(ApiError::FromResponse(429, status("TooManyRequests", 429)).IsTooManyRequests());
}

TEST(ApiErrorTest, WatchErrorEventStatusIsGone) {
  const std::string object =
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 [357]","reason":"Expired","code":410})";
  const ApiError e = ApiError::FromStatusJson(object, 500);
  EXPECT_TRUE(e.IsGone());
  EXPECT_EQ(e.code(), 410);
  EXPECT_EQ(e.message(), "too old resource version: 1 [357]");
}

TEST(ApiErrorTest, NonStatusBodiesKeepTheHttpStatus) {
  const ApiError e = ApiError::FromResponse(404, "404 page not found\n");
  EXPECT_TRUE(e.IsNotFound());
  EXPECT_EQ(e.message(), "404 page not found");
  const ApiError garbage = ApiError::FromResponse(503, "{\"kind\":\"Stat");
  EXPECT_EQ(garbage.code(), 503);
  EXPECT_TRUE(garbage.IsServerError());
  const ApiError empty = ApiError::FromResponse(409, "");
  EXPECT_TRUE(empty.IsConflict());
}

TEST(ApiErrorTest, RetryAfterFromHeaderOrDetails) {
  const std::string body =
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"slow down","reason":"TooManyRequests","details":{"retryAfterSeconds":7},"code":429})";
  EXPECT_EQ(ApiError::FromResponse(429, body).retry_after_seconds(), 7);
  EXPECT_EQ(ApiError::FromResponse(429, body, 3).retry_after_seconds(), 3);
}

TEST(ApiErrorTest, WrongTypesInStatusDoNotThrow) {
  const std::string body =
      R"({"kind":"Status","code":"x","reason":5,"details":{"causes":[1,{"field":7}],"name":[]}})";
  const ApiError e = ApiError::FromResponse(400, body);
  EXPECT_EQ(e.code(), 400);
  EXPECT_TRUE(e.IsBadRequest());
}

}  // namespace
}  // namespace numalign::kube
