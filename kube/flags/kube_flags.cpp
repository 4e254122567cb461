#include "kube/flags/kube_flags.h"

#include <boost/program_options/value_semantic.hpp>

#include "kube/flags/duration.h"

namespace numalign::kube {

namespace po = boost::program_options;

void AddClientFlags(po::options_description& description, ConfigSource& source,
                    ClientOptions& options) {
  description.add_options()(
      "kubeconfig", po::value(&source.kubeconfig),
      "Path to a kubeconfig; default: $KUBECONFIG, in-cluster config, ~/.kube/config")(
      "context", po::value(&source.context), "kubeconfig context to use")(
      "kube-api-qps", po::value(&options.qps)->default_value(options.qps),
      "Sustained requests per second to the API server")(
      "kube-api-burst", po::value(&options.burst)->default_value(options.burst),
      "Burst of requests allowed to the API server");
}

void AddLeaderElectionFlags(po::options_description& description, LeaderElectionOptions& options) {
  description.add_options()("leader-elect",
                            po::value(&options.leader_elect)->default_value(options.leader_elect),
                            "Elect a leader on a Lease before working")(
      "leader-elect-lease-duration",
      po::value<std::string>()->default_value(FormatGoDuration(options.lease_duration)),
      "How long a non-leader waits after the last renewal before taking over")(
      "leader-elect-renew-deadline",
      po::value<std::string>()->default_value(FormatGoDuration(options.renew_deadline)),
      "How long the leader keeps retrying a renewal before giving up leadership")(
      "leader-elect-retry-period",
      po::value<std::string>()->default_value(FormatGoDuration(options.retry_period)),
      "How long to wait between attempts to acquire or renew")(
      "leader-elect-resource-name", po::value(&options.resource_name), "Name of the Lease")(
      "leader-elect-resource-namespace",
      po::value(&options.resource_namespace)->default_value(options.resource_namespace),
      "Namespace of the Lease");
}

void ApplyLeaderElectionFlags(const po::variables_map& values, LeaderElectionOptions& options) {
  auto read = [&](const char* flag, std::chrono::milliseconds& target) {
    if (!values.count(flag)) return;
    const std::string text = values[flag].as<std::string>();
    auto parsed = ParseGoDuration(text);
    if (!parsed || parsed->count() <= 0) {
      throw std::invalid_argument(std::string("--") + flag + ": \"" + text +
                                  "\" is not a positive duration like 15s");
    }
    target = *parsed;
  };
  read("leader-elect-lease-duration", options.lease_duration);
  read("leader-elect-renew-deadline", options.renew_deadline);
  read("leader-elect-retry-period", options.retry_period);
}

void AddLoggingFormatFlags(po::options_description& description,
                           const std::string& default_format) {
  // The alias is not bound to a variable: notify() stores options in name order, and the
  // default of --logging-format would overwrite an explicit --log-format.
  description.add_options()("logging-format",
                            po::value<std::string>()->default_value(default_format),
                            "Log line format: text (klog-style) or json (one object per line).")(
      "log-format", po::value<std::string>(), "Deprecated: use --logging-format.");
}

std::string ApplyLoggingFormatFlags(const po::variables_map& values) {
  const char* flag = "logging-format";
  if (values["logging-format"].defaulted() && values.count("log-format")) flag = "log-format";
  const std::string format = values[flag].as<std::string>();
  if (format != "text" && format != "json") {
    throw std::invalid_argument(std::string("--") + flag + ": want text or json, got \"" + format +
                                "\"");
  }
  return format;
}

}  // namespace numalign::kube
