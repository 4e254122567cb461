// kube-apiserver's metav1.Status errors. Handlers throw ApiError; the router turns it into the
// HTTP response, so every failure path produces the exact Status body the transcripts show.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/apiserver/json_util.h"

namespace numalign::test_apiserver {

struct StatusCause {
  std::string reason;  // FieldValueRequired, FieldValueInvalid, ...
  std::string message;
  std::string field;
};

class ApiError : public std::runtime_error {
 public:
  ApiError(int code, Json status, std::vector<std::string> headers = {})
      : std::runtime_error(GetString(status, "message")),
        code_(code),
        status_(std::move(status)),
        headers_(std::move(headers)) {}
  int code() const { return code_; }
  const Json& status() const { return status_; }
  // Extra "Name: value" response headers (Retry-After).
  const std::vector<std::string>& headers() const { return headers_; }

 private:
  int code_;
  Json status_;
  std::vector<std::string> headers_;
};

// Names the object an error is about: details.name/group/kind.
struct ErrorSubject {
  std::string name;
  std::string group;
  std::string kind;  // the resource plural for most errors, the Kind for 422s
};

Json FailureStatus(int code, const std::string& reason, const std::string& message,
                   const Json* details);

ApiError BadRequest(const std::string& message);
ApiError NotFound(const ErrorSubject& subject);  // "pods \"x\" not found"
ApiError GenericNotFound();                      // unknown resource
ApiError AlreadyExists(const ErrorSubject& subject);
// "Operation cannot be fulfilled on <qualified> \"name\": <why>"
ApiError Conflict(const ErrorSubject& subject, const std::string& qualified,
                  const std::string& why);
ApiError Invalid(const ErrorSubject& subject, const std::string& qualified_kind,
                 const std::vector<StatusCause>& causes);
ApiError Gone(const std::string& message);
ApiError UnsupportedMediaType(const std::string& message, bool with_empty_details);
ApiError NotAcceptable();
ApiError TooManyRequests(const std::string& message, int retry_after_seconds);
ApiError InternalError(const std::string& message);
ApiError Unauthorized();
ApiError Forbidden(const std::string& message, const ErrorSubject& subject);
ApiError RequestEntityTooLarge(const std::string& message);
ApiError MethodNotAllowed(const std::string& message);

// "Invalid value: \"x\": why" with Go-style quoting of the value.
std::string InvalidValueMessage(const Json& value, const std::string& why);

}  // namespace numalign::test_apiserver
