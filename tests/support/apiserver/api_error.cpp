#include "tests/support/apiserver/api_error.h"

namespace numalign::test_apiserver {
namespace {

Json SubjectDetails(const ErrorSubject& subject) {
  Json details = Json::object();
  if (!subject.name.empty()) details["name"] = subject.name;
  if (!subject.group.empty()) details["group"] = subject.group;
  if (!subject.kind.empty()) details["kind"] = subject.kind;
  return details;
}

// "pods" or "leases.coordination.k8s.io": how messages name a resource.
std::string Qualified(const ErrorSubject& subject) {
  return subject.group.empty() ? subject.kind : subject.kind + "." + subject.group;
}

}  // namespace

Json FailureStatus(int code, const std::string& reason, const std::string& message,
                   const Json* details) {
  Json status = {{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", Json::object()},
                 {"status", "Failure"}, {"message", message}, {"reason", reason}};
  if (details) status["details"] = *details;
  status["code"] = code;
  return status;
}

ApiError BadRequest(const std::string& message) {
  return ApiError(400, FailureStatus(400, "BadRequest", message, nullptr));
}

ApiError NotFound(const ErrorSubject& subject) {
  Json details = SubjectDetails(subject);
  return ApiError(
      404, FailureStatus(404, "NotFound",
                         Qualified(subject) + " \"" + subject.name + "\" not found", &details));
}

ApiError GenericNotFound() {
  Json details = Json::object();
  return ApiError(404, FailureStatus(404, "NotFound",
                                     "the server could not find the requested resource", &details));
}

ApiError AlreadyExists(const ErrorSubject& subject) {
  Json details = SubjectDetails(subject);
  return ApiError(
      409,
      FailureStatus(409, "AlreadyExists",
                    Qualified(subject) + " \"" + subject.name + "\" already exists", &details));
}

ApiError Conflict(const ErrorSubject& subject, const std::string& qualified,
                  const std::string& why) {
  Json details = SubjectDetails(subject);
  return ApiError(409, FailureStatus(409, "Conflict",
                                     "Operation cannot be fulfilled on " + qualified + " \"" +
                                         subject.name + "\": " + why,
                                     &details));
}

ApiError Invalid(const ErrorSubject& subject, const std::string& qualified_kind,
                 const std::vector<StatusCause>& causes) {
  Json details = SubjectDetails(subject);
  Json cause_list = Json::array();
  std::string summary;
  for (const auto& cause : causes) {
    cause_list.push_back(
        {{"reason", cause.reason}, {"message", cause.message}, {"field", cause.field}});
    if (!summary.empty()) summary += ", ";
    summary += cause.field + ": " + cause.message;
  }
  details["causes"] = cause_list;
  if (causes.size() > 1) summary = "[" + summary + "]";
  return ApiError(
      422,
      FailureStatus(422, "Invalid",
                    qualified_kind + " \"" + subject.name + "\" is invalid: " + summary, &details));
}

ApiError Gone(const std::string& message) {
  return ApiError(410, FailureStatus(410, "Expired", message, nullptr));
}

ApiError UnsupportedMediaType(const std::string& message, bool with_empty_details) {
  Json details = Json::object();
  return ApiError(415, FailureStatus(415, "UnsupportedMediaType", message,
                                     with_empty_details ? &details : nullptr));
}

ApiError NotAcceptable() {
  Json details = Json::object();
  return ApiError(
      406, FailureStatus(406, "NotAcceptable",
                         "406: Not Acceptable\n\nAvailable representations: application/json, "
                         "application/yaml, application/vnd.kubernetes.protobuf, "
                         "application/json;stream=watch, "
                         "application/vnd.kubernetes.protobuf;stream=watch",
                         &details));
}

ApiError TooManyRequests(const std::string& message, int retry_after_seconds) {
  Json details = {{"retryAfterSeconds", retry_after_seconds}};
  return ApiError(429, FailureStatus(429, "TooManyRequests", message, &details),
                  {"Retry-After: " + std::to_string(retry_after_seconds)});
}

ApiError InternalError(const std::string& message) {
  Json details = {{"causes", Json::array({{{"message", message}}})}};
  return ApiError(
      500, FailureStatus(500, "InternalError", "Internal error occurred: " + message, &details));
}

ApiError Unauthorized() {
  return ApiError(401, FailureStatus(401, "Unauthorized", "Unauthorized", nullptr));
}

ApiError Forbidden(const std::string& message, const ErrorSubject& subject) {
  Json details = SubjectDetails(subject);
  return ApiError(403, FailureStatus(403, "Forbidden", message, &details),
                  {"X-Content-Type-Options: nosniff"});
}

ApiError RequestEntityTooLarge(const std::string& message) {
  return ApiError(413, FailureStatus(413, "RequestEntityTooLarge", message, nullptr));
}

ApiError MethodNotAllowed(const std::string& message) {
  Json details = Json::object();
  return ApiError(405, FailureStatus(405, "MethodNotAllowed", message, &details));
}

std::string InvalidValueMessage(const Json& value, const std::string& why) {
  std::string rendered;
  if (value.is_string())
    rendered = EncodeCompact(value);
  else if (value.is_null())
    rendered = "\"null\"";
  else
    rendered = EncodeCompact(value);
  return "Invalid value: " + rendered + ": " + why;
}

}  // namespace numalign::test_apiserver
