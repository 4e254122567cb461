#include "kube/rest/rest_client.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <deque>

#include "kube/errors.h"
#include "kube/rest/api_error.h"
#include "kube/rest/watch_decoder.h"

namespace numalign::kube {

namespace {

constexpr char kJson[] = "application/json";

// Builds "?a=b&c=d" with escaped values, skipping empty ones.
class Query {
 public:
  Query& Add(std::string_view key, std::string_view value) {
    if (value.empty()) return *this;
    text_ += text_.empty() ? '?' : '&';
    text_ += key;
    text_ += '=';
    text_ += EscapeQueryValue(value);
    return *this;
  }
  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

std::optional<int> ParseRetryAfter(const HttpResponse& response) {
  auto header = response.Header("Retry-After");
  if (!header) return std::nullopt;
  int seconds = 0;
  auto [ptr, ec] = std::from_chars(header->data(), header->data() + header->size(), seconds);
  if (ec != std::errc() || seconds < 0) return std::nullopt;
  return seconds;
}

bool IsRetryableServerError(int status) {
  return status == 500 || status == 502 || status == 503 || status == 504;
}

Json DecodeBody(const HttpResponse& response, const std::string& what) {
  if (response.body.empty()) return Json::object();
  Json j = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    throw DecodeError(what + ": response is not JSON: " + response.body.substr(0, 200));
  }
  return j;
}

std::string ObjectName(const Json& object) {
  if (!object.is_object()) throw std::invalid_argument("object must be a JSON object");
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return "";
  auto name = meta->find("name");
  return name != meta->end() && name->is_string() ? name->get<std::string>() : "";
}

std::string_view PatchContentType(PatchType type) {
  switch (type) {
    case PatchType::kMerge:
      return "application/merge-patch+json";
    case PatchType::kJson:
      return "application/json-patch+json";
    case PatchType::kStrategicMerge:
      return "application/strategic-merge-patch+json";
  }
  return "application/merge-patch+json";
}

class ApiWatchStream final : public WatchStream {
 public:
  explicit ApiWatchStream(std::unique_ptr<ResponseStream> stream) : stream_(std::move(stream)) {}

  std::optional<WatchEvent> Next() override {
    while (ready_.empty()) {
      if (stopped_ || ended_) return std::nullopt;
      std::optional<std::string> bytes = stream_->Read();
      if (stopped_) return std::nullopt;
      if (!bytes) {
        ended_ = true;
        for (auto& e : decoder_.Finish()) ready_.push_back(std::move(e));
        break;
      }
      for (auto& e : decoder_.Feed(*bytes)) ready_.push_back(std::move(e));
    }
    if (ready_.empty()) return std::nullopt;
    WatchEvent next = std::move(ready_.front());
    ready_.pop_front();
    return next;
  }

  void Stop() override {
    stopped_ = true;
    stream_->Cancel();
  }

 private:
  std::unique_ptr<ResponseStream> stream_;
  WatchDecoder decoder_;
  std::deque<WatchEvent> ready_;
  std::atomic<bool> stopped_ = false;
  bool ended_ = false;
};

}  // namespace

RestClient::RestClient(std::shared_ptr<HttpTransport> transport,
                       std::shared_ptr<CredentialProvider> credentials, ClientOptions options,
                       std::shared_ptr<Clock> clock, std::shared_ptr<RateLimiter> limiter)
    : transport_(std::move(transport)),
      credentials_(std::move(credentials)),
      options_(std::move(options)),
      clock_(std::move(clock)),
      limiter_(std::move(limiter)) {
  if (!limiter_) {
    limiter_ = std::make_shared<TokenBucketRateLimiter>(options_.qps, options_.burst, clock_);
  }
}

void RestClient::Authorize(HttpRequest& request) {
  request.headers["User-Agent"] = options_.user_agent;
  if (!request.headers.contains("Accept")) request.headers["Accept"] = kJson;
  if (credentials_) {
    const std::string token = credentials_->BearerToken();
    if (!token.empty()) request.headers["Authorization"] = "Bearer " + token;
  }
}

HttpResponse RestClient::Raw(HttpRequest request, bool idempotent) {
  Backoff backoff(options_.backoff);
  bool reauthenticated = false;
  const std::string what = request.method + " " + request.path;
  for (int attempt = 0;; ++attempt) {
    limiter_->Wait();
    Authorize(request);
    HttpResponse response;
    try {
      response = transport_->Send(request);
    } catch (const TransportError& e) {
      if (!idempotent || attempt >= options_.max_retries) throw;
      const auto delay = backoff.Next();
      spdlog::debug("{}: {}; retrying in {} ms", what, e.what(), delay.count());
      clock_->SleepFor(delay, {});
      continue;
    }
    if (response.status >= 200 && response.status < 300) return response;
    if (response.status == 401 && credentials_ && !reauthenticated) {
      credentials_->Invalidate();
      reauthenticated = true;
      continue;
    }
    const auto retry_after = ParseRetryAfter(response);
    const bool retryable =
        response.status == 429 || (idempotent && IsRetryableServerError(response.status));
    if (retryable && attempt < options_.max_retries) {
      Clock::Duration delay = backoff.Next();
      if (retry_after) {
        delay =
            std::min<Clock::Duration>(std::chrono::seconds(*retry_after), options_.max_retry_after);
      }
      spdlog::debug("{}: HTTP {}; retrying in {} ms", what, response.status,
                    std::chrono::duration_cast<std::chrono::milliseconds>(delay).count());
      clock_->SleepFor(delay, {});
      continue;
    }
    throw ApiError::FromResponse(response.status, response.body, retry_after);
  }
}

Json RestClient::SendJson(const std::string& method, const std::string& path,
                          const std::string& body, const std::string& content_type,
                          bool idempotent) {
  HttpRequest request;
  request.method = method;
  request.path = path;
  request.body = body;
  request.timeout = options_.request_timeout;
  if (!content_type.empty()) request.headers["Content-Type"] = content_type;
  return DecodeBody(Raw(std::move(request), idempotent), method + " " + path);
}

Json RestClient::Get(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                     std::string_view subresource) {
  return SendJson("GET", r.ObjectPath(ns, name, subresource), "", "", true);
}

Json RestClient::List(const ResourceDescriptor& r, std::string_view ns,
                      const ListOptions& options) {
  Query q;
  q.Add("labelSelector", options.label_selector)
      .Add("fieldSelector", options.field_selector)
      .Add("limit", options.limit ? std::to_string(*options.limit) : "")
      .Add("continue", options.continue_token)
      .Add("resourceVersion", options.resource_version)
      .Add("resourceVersionMatch", options.resource_version_match);
  Json list = SendJson("GET", r.CollectionPath(ns) + q.str(), "", "", true);
  if (!list.is_object() || !list.contains("items") ||
      !(list["items"].is_array() || list["items"].is_null())) {
    throw DecodeError("list of " + r.resource + ": response has no items array");
  }
  if (list["items"].is_null()) list["items"] = Json::array();
  // Built-in lists omit kind/apiVersion on items; fill them so items look like watched objects.
  for (auto& item : list["items"]) {
    if (!item.is_object()) continue;
    if (!item.contains("kind")) item["kind"] = r.kind;
    if (!item.contains("apiVersion")) item["apiVersion"] = r.ApiVersion();
  }
  return list;
}

std::unique_ptr<WatchStream> RestClient::Watch(const ResourceDescriptor& r, std::string_view ns,
                                               const WatchOptions& options) {
  Query q;
  q.Add("watch", "true")
      .Add("labelSelector", options.label_selector)
      .Add("fieldSelector", options.field_selector)
      .Add("resourceVersion", options.resource_version)
      .Add("allowWatchBookmarks", options.allow_bookmarks ? "true" : "")
      .Add("timeoutSeconds",
           options.timeout_seconds ? std::to_string(*options.timeout_seconds) : "");
  HttpRequest request;
  request.path = r.CollectionPath(ns) + q.str();
  // The transport timeout is an idle timeout for streams: allow the whole server-side timeout
  // plus slack, since a quiet watch without bookmarks sends nothing.
  request.timeout = std::chrono::seconds(options.timeout_seconds.value_or(1800) + 60);
  for (int attempt = 0; attempt < 2; ++attempt) {
    limiter_->Wait();
    Authorize(request);
    std::unique_ptr<ResponseStream> stream = transport_->Stream(request);
    if (stream->Status() == 200) return std::make_unique<ApiWatchStream>(std::move(stream));
    std::string body;
    try {
      while (auto bytes = stream->Read()) body += *bytes;
    } catch (const TransportError&) {
      // The status is what matters; a truncated error body still yields an ApiError.
    }
    if (stream->Status() == 401 && credentials_ && attempt == 0) {
      credentials_->Invalidate();
      continue;
    }
    HttpResponse response{stream->Status(), stream->Headers(), body};
    throw ApiError::FromResponse(response.status, body, ParseRetryAfter(response));
  }
  throw ApiError(401, "Unauthorized", "watch " + request.path + ": unauthorized");
}

Json RestClient::Create(const ResourceDescriptor& r, std::string_view ns, const Json& object,
                        const WriteOptions& options) {
  Query q;
  q.Add("fieldManager", options.field_manager).Add("dryRun", options.dry_run ? "All" : "");
  return SendJson("POST", r.CollectionPath(r.namespaced ? ns : "") + q.str(), object.dump(), kJson,
                  false);
}

Json RestClient::CreateSubresource(const ResourceDescriptor& r, std::string_view ns,
                                   std::string_view name, std::string_view subresource,
                                   const Json& body, const WriteOptions& options) {
  Query q;
  q.Add("fieldManager", options.field_manager).Add("dryRun", options.dry_run ? "All" : "");
  return SendJson("POST", r.ObjectPath(ns, name, subresource) + q.str(), body.dump(), kJson, false);
}

Json RestClient::Update(const ResourceDescriptor& r, std::string_view ns, const Json& object,
                        const WriteOptions& options, std::string_view subresource) {
  Query q;
  q.Add("fieldManager", options.field_manager).Add("dryRun", options.dry_run ? "All" : "");
  return SendJson("PUT", r.ObjectPath(ns, ObjectName(object), subresource) + q.str(), object.dump(),
                  kJson, true);
}

Json RestClient::Patch(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                       PatchType type, const Json& patch, const WriteOptions& options,
                       std::string_view subresource) {
  Query q;
  q.Add("fieldManager", options.field_manager).Add("dryRun", options.dry_run ? "All" : "");
  return SendJson("PATCH", r.ObjectPath(ns, name, subresource) + q.str(), patch.dump(),
                  std::string(PatchContentType(type)), false);
}

Json RestClient::Apply(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                       const Json& object, const ApplyOptions& options,
                       std::string_view subresource) {
  if (options.field_manager.empty()) {
    throw std::invalid_argument("server-side apply needs a field manager");
  }
  Query q;
  q.Add("fieldManager", options.field_manager)
      .Add("force", options.force ? "true" : "")
      .Add("dryRun", options.dry_run ? "All" : "");
  // JSON is YAML, so the apply content type takes the JSON body as is.
  return SendJson("PATCH", r.ObjectPath(ns, name, subresource) + q.str(), object.dump(),
                  "application/apply-patch+yaml", true);
}

Json RestClient::Delete(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                        const DeleteOptions& options) {
  Json body = {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}};
  if (options.precondition_uid || options.precondition_resource_version) {
    Json pre = Json::object();
    if (options.precondition_uid) pre["uid"] = *options.precondition_uid;
    if (options.precondition_resource_version) {
      pre["resourceVersion"] = *options.precondition_resource_version;
    }
    body["preconditions"] = pre;
  }
  if (options.propagation_policy) body["propagationPolicy"] = *options.propagation_policy;
  if (options.grace_period_seconds) body["gracePeriodSeconds"] = *options.grace_period_seconds;
  if (options.dry_run) body["dryRun"] = Json::array({"All"});
  return SendJson("DELETE", r.ObjectPath(ns, name), body.dump(), kJson, true);
}

}  // namespace numalign::kube
