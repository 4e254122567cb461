#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "kube/clock/clock.h"
#include "kube/config/in_cluster.h"
#include "kube/config/rest_config.h"

namespace numalign::kube {

// Where a program's API access comes from: what --kubeconfig and --context say, plus hooks so
// tests can replace the environment and the service-account directory.
struct ConfigSource {
  std::string kubeconfig;  // --kubeconfig
  std::string context;     // --context (empty: current-context)
  std::filesystem::path service_account_dir = kServiceAccountDir;
  std::function<std::optional<std::string>(const std::string&)> getenv;  // null: ::getenv
  std::shared_ptr<Clock> clock = SystemClock();
};

// Precedence as client-go's clientcmd.BuildConfigFromFlags plus kubectl's defaults:
// --kubeconfig, then $KUBECONFIG (a ':'-separated list, merged), then in-cluster when
// KUBERNETES_SERVICE_HOST is set, then ~/.kube/config. Throws ConfigError.
RestConfig LoadRestConfig(const ConfigSource& source = {});

}  // namespace numalign::kube
