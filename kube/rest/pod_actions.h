#pragma once

#include <string>

#include "kube/rest/api_client.h"

namespace numalign::kube {

// POST pods/NAME/binding: assigns the pod to `node` (what a scheduler or extender does).
// With `pod_uid` set, the API refuses to bind a different pod of the same name.
void BindPod(ApiClient& client, std::string_view ns, std::string_view pod, std::string_view node,
             std::string_view pod_uid = {});

// POST pods/NAME/eviction (policy/v1): honours PodDisruptionBudgets; a 429 TooManyRequests
// ApiError means a budget blocked it (the client does not retry it forever: max_retries).
void EvictPod(ApiClient& client, std::string_view ns, std::string_view pod,
              const DeleteOptions& options = {});

// PUT .../status: replaces the status subresource, conditional on metadata.resourceVersion.
Json UpdateStatus(ApiClient& client, const ResourceDescriptor& r, std::string_view ns,
                  const Json& object);

// PATCH .../status with a JSON merge patch.
Json PatchStatus(ApiClient& client, const ResourceDescriptor& r, std::string_view ns,
                 std::string_view name, const Json& merge_patch);

}  // namespace numalign::kube
