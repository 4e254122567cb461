#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/errors.h"

namespace numalign::kube {

struct StatusCause {
  std::string reason;
  std::string message;
  std::string field;
};

// A failure the API server reported with an HTTP status, parsed from its metav1.Status body
// (or synthesised from the HTTP status when the body is not a Status, e.g. "404 page not found").
class ApiError : public KubeError {
 public:
  ApiError(int code, std::string reason, std::string message);

  // Builds the error from a response. Never throws on a malformed body.
  static ApiError FromResponse(int http_status, std::string_view body,
                               std::optional<int> retry_after_header = std::nullopt);
  // Builds the error from a Status object carried inside a watch ERROR event.
  static ApiError FromStatusJson(std::string_view status_json, int fallback_code);

  int code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }
  const std::string& name() const { return name_; }
  const std::string& group() const { return group_; }
  const std::string& kind() const { return kind_; }
  const std::vector<StatusCause>& causes() const { return causes_; }
  // From the Retry-After header or details.retryAfterSeconds.
  std::optional<int> retry_after_seconds() const { return retry_after_seconds_; }

  bool IsNotFound() const { return reason_ == "NotFound" || (reason_.empty() && code_ == 404); }
  bool IsAlreadyExists() const { return reason_ == "AlreadyExists"; }
  // An update conflict (stale resourceVersion, failed precondition, apply field conflict).
  bool IsConflict() const { return reason_ == "Conflict" || (reason_.empty() && code_ == 409); }
  // The resourceVersion is too old: relist.
  bool IsGone() const { return code_ == 410 || reason_ == "Expired" || reason_ == "Gone"; }
  bool IsInvalid() const { return reason_ == "Invalid" || (reason_.empty() && code_ == 422); }
  bool IsBadRequest() const { return code_ == 400; }
  bool IsUnauthorized() const { return code_ == 401; }
  bool IsForbidden() const { return code_ == 403; }
  bool IsTooManyRequests() const { return code_ == 429; }
  bool IsServerError() const { return code_ >= 500; }
  // The field paths named by the causes of an Invalid error ("spec.containers[0].image").
  std::vector<std::string> InvalidFields() const;

 private:
  int code_;
  std::string reason_;
  std::string message_;
  std::string name_;
  std::string group_;
  std::string kind_;
  std::vector<StatusCause> causes_;
  std::optional<int> retry_after_seconds_;
};

inline bool IsNotFound(const ApiError& e) {
  return e.IsNotFound();
}
inline bool IsAlreadyExists(const ApiError& e) {
  return e.IsAlreadyExists();
}
inline bool IsConflict(const ApiError& e) {
  return e.IsConflict();
}
inline bool IsGone(const ApiError& e) {
  return e.IsGone();
}
inline bool IsInvalid(const ApiError& e) {
  return e.IsInvalid();
}

}  // namespace numalign::kube
