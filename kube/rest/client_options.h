#pragma once

#include <chrono>
#include <string>

#include "kube/rest/backoff.h"

namespace numalign::kube {

// Client behaviour knobs. Programs expose qps/burst as --kube-api-qps and --kube-api-burst
// (see kube/flags/kube_flags.h).
struct ClientOptions {
  double qps = 20.0;  // sustained requests per second; <= 0 disables the limit
  int burst = 30;     // requests allowed at once after a quiet period
  // "numalign-agent/0.1.0 (linux/amd64)"; see DefaultUserAgent().
  std::string user_agent = "numalign/0.1.0";
  std::chrono::milliseconds request_timeout = std::chrono::seconds(30);
  // Retries after the first attempt, for connection errors, 429 and (idempotent verbs) 5xx.
  int max_retries = 5;
  BackoffOptions backoff{std::chrono::milliseconds(250), std::chrono::seconds(8), 2.0, 0.2};
  // Longest Retry-After honoured; a server asking for more is waited on for this long.
  std::chrono::seconds max_retry_after = std::chrono::seconds(60);
};

// "<component>/<version> (linux/amd64)", the shape client-go uses.
std::string DefaultUserAgent(const std::string& component, const std::string& version);

}  // namespace numalign::kube
