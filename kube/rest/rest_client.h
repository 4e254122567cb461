#pragma once

#include <memory>

#include "kube/clock/clock.h"
#include "kube/config/credential_provider.h"
#include "kube/rest/api_client.h"
#include "kube/rest/client_options.h"
#include "kube/rest/rate_limiter.h"
#include "kube/transport/http_transport.h"

namespace numalign::kube {

// ApiClient over an HttpTransport: adds authentication, the client-side rate limit, retries with
// backoff, and Status error decoding.
//
// Retry policy: 429 is retried for every verb (the server did not process the request) after
// Retry-After; connection errors and 500/502/503/504 are retried only for idempotent requests
// (GET, PUT, DELETE, server-side apply), since a POST or merge patch might already have been
// applied. A 401 invalidates the credentials and retries once (rotated or expired token).
class RestClient final : public ApiClient {
 public:
  RestClient(std::shared_ptr<HttpTransport> transport,
             std::shared_ptr<CredentialProvider> credentials, ClientOptions options = {},
             std::shared_ptr<Clock> clock = SystemClock(),
             std::shared_ptr<RateLimiter> limiter = nullptr);

  Json Get(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
           std::string_view subresource = {}) override;
  Json List(const ResourceDescriptor& r, std::string_view ns,
            const ListOptions& options = {}) override;
  std::unique_ptr<WatchStream> Watch(const ResourceDescriptor& r, std::string_view ns,
                                     const WatchOptions& options = {}) override;
  Json Create(const ResourceDescriptor& r, std::string_view ns, const Json& object,
              const WriteOptions& options = {}) override;
  Json CreateSubresource(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
                         std::string_view subresource, const Json& body,
                         const WriteOptions& options = {}) override;
  Json Update(const ResourceDescriptor& r, std::string_view ns, const Json& object,
              const WriteOptions& options = {}, std::string_view subresource = {}) override;
  Json Patch(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
             PatchType type, const Json& patch, const WriteOptions& options = {},
             std::string_view subresource = {}) override;
  Json Apply(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
             const Json& object, const ApplyOptions& options,
             std::string_view subresource = {}) override;
  Json Delete(const ResourceDescriptor& r, std::string_view ns, std::string_view name,
              const DeleteOptions& options = {}) override;

  // A raw request through the same auth/limit/retry path, for URLs without a descriptor
  // (discovery, /version). Returns the 2xx response; throws as the verbs do.
  HttpResponse Raw(HttpRequest request, bool idempotent);

 private:
  Json SendJson(const std::string& method, const std::string& path, const std::string& body,
                const std::string& content_type, bool idempotent);
  void Authorize(HttpRequest& request);

  std::shared_ptr<HttpTransport> transport_;
  std::shared_ptr<CredentialProvider> credentials_;
  ClientOptions options_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<RateLimiter> limiter_;
};

}  // namespace numalign::kube
