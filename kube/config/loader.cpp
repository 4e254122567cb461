#include "kube/config/loader.h"

#include <cstdlib>

#include "kube/config/kubeconfig.h"
#include "kube/errors.h"

namespace numalign::kube {

RestConfig LoadRestConfig(const ConfigSource& source) {
  auto env = [&](const std::string& name) -> std::string {
    if (source.getenv) return source.getenv(name).value_or("");
    const char* value = std::getenv(name.c_str());
    return value ? value : "";
  };
  if (!source.kubeconfig.empty()) {
    return Kubeconfig::LoadFile(source.kubeconfig).ToRestConfig(source.context, source.clock);
  }
  if (const std::string list = env("KUBECONFIG"); !list.empty()) {
    return Kubeconfig::LoadMerged(SplitKubeconfigList(list))
        .ToRestConfig(source.context, source.clock);
  }
  if (!env("KUBERNETES_SERVICE_HOST").empty()) {
    InClusterOptions options;
    options.service_host = env("KUBERNETES_SERVICE_HOST");
    options.service_port = env("KUBERNETES_SERVICE_PORT");
    options.service_account_dir = source.service_account_dir;
    return InClusterConfig(options);
  }
  const std::string home = env("HOME");
  if (!home.empty()) {
    const std::filesystem::path path = std::filesystem::path(home) / ".kube" / "config";
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      return Kubeconfig::LoadFile(path).ToRestConfig(source.context, source.clock);
    }
  }
  throw ConfigError(
      "no API server configuration: pass --kubeconfig, set KUBECONFIG, run in a pod, or create "
      "~/.kube/config");
}

}  // namespace numalign::kube
