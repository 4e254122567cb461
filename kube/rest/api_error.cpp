#include "kube/rest/api_error.h"

#include <nlohmann/json.hpp>

namespace numalign::kube {

namespace {

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Describe(int code, const std::string& reason, const std::string& message) {
  std::string out = "API error " + std::to_string(code);
  if (!reason.empty()) out += " " + reason;
  if (!message.empty()) out += ": " + message;
  return out;
}

std::string ReasonForCode(int code) {
  switch (code) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 406:
      return "NotAcceptable";
    case 409:
      return "Conflict";
    case 410:
      return "Expired";
    case 415:
      return "UnsupportedMediaType";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return "";
  }
}

}  // namespace

ApiError::ApiError(int code, std::string reason, std::string message)
    : KubeError(Describe(code, reason, message)),
      code_(code),
      reason_(std::move(reason)),
      message_(std::move(message)) {}

ApiError ApiError::FromStatusJson(std::string_view status_json, int fallback_code) {
  return FromResponse(fallback_code, status_json);
}

ApiError ApiError::FromResponse(int http_status, std::string_view body,
                                std::optional<int> retry_after_header) {
  nlohmann::json status = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!status.is_object() || Str(status, "kind") != "Status") {
    // Not a Status (proxies, "404 page not found", truncated bodies): keep the text short.
    std::string text(body.substr(0, 512));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    ApiError e(http_status, ReasonForCode(http_status), text);
    e.retry_after_seconds_ = retry_after_header;
    return e;
  }
  int code = http_status;
  if (auto it = status.find("code"); it != status.end() && it->is_number_integer()) {
    code = it->get<int>();
  }
  if (code == 0) code = http_status;
  std::string reason = Str(status, "reason");
  if (reason.empty()) reason = ReasonForCode(code);
  ApiError e(code, reason, Str(status, "message"));
  e.retry_after_seconds_ = retry_after_header;
  if (auto d = status.find("details"); d != status.end() && d->is_object()) {
    e.name_ = Str(*d, "name");
    e.group_ = Str(*d, "group");
    e.kind_ = Str(*d, "kind");
    if (auto ra = d->find("retryAfterSeconds");
        ra != d->end() && ra->is_number_integer() && !e.retry_after_seconds_) {
      e.retry_after_seconds_ = ra->get<int>();
    }
    if (auto causes = d->find("causes"); causes != d->end() && causes->is_array()) {
      for (const auto& c : *causes) {
        if (!c.is_object()) continue;
        e.causes_.push_back({Str(c, "reason"), Str(c, "message"), Str(c, "field")});
      }
    }
  }
  return e;
}

std::vector<std::string> ApiError::InvalidFields() const {
  std::vector<std::string> out;
  for (const auto& c : causes_) {
    if (!c.field.empty()) out.push_back(c.field);
  }
  return out;
}

}  // namespace numalign::kube
