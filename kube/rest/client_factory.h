#pragma once

#include <memory>

#include "kube/clock/clock.h"
#include "kube/config/rest_config.h"
#include "kube/rest/client_options.h"
#include "kube/rest/rest_client.h"

namespace numalign::kube {

// The usual way to get a client: a RestConfig (LoadRestConfig) and options (flags) in, a
// RestClient on the cpprestsdk transport out. Throws ConfigError for unusable TLS material.
std::shared_ptr<RestClient> MakeApiClient(const RestConfig& config, const ClientOptions& options,
                                          std::shared_ptr<Clock> clock = SystemClock());

}  // namespace numalign::kube
