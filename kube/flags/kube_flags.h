#pragma once

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include "kube/config/loader.h"
#include "kube/leaderelection/leader_elector.h"
#include "kube/rest/client_options.h"

namespace numalign::kube {

// Registers the Kubernetes client flags, with the names the Kubernetes components use:
// --kubeconfig, --context, --kube-api-qps, --kube-api-burst. Values land in the given structs
// after boost::program_options::notify().
void AddClientFlags(boost::program_options::options_description& description, ConfigSource& source,
                    ClientOptions& options);

// Registers --leader-elect, --leader-elect-lease-duration, --leader-elect-renew-deadline,
// --leader-elect-retry-period (Go durations: "15s"), --leader-elect-resource-name and
// --leader-elect-resource-namespace. Durations are parsed by ApplyLeaderElectionFlags.
void AddLeaderElectionFlags(boost::program_options::options_description& description,
                            LeaderElectionOptions& options);
// Reads the duration flags from the parsed map; throws std::invalid_argument naming the flag.
void ApplyLeaderElectionFlags(const boost::program_options::variables_map& values,
                              LeaderElectionOptions& options);

// Registers --logging-format (text | json, the Kubernetes components' name; default
// `default_format`) and its deprecated alias --log-format. ApplyLoggingFormatFlags reads them.
void AddLoggingFormatFlags(boost::program_options::options_description& description,
                           const std::string& default_format);
// The chosen format: --logging-format when given, else --log-format, else the default. Throws
// std::invalid_argument naming the flag when it is neither text nor json.
std::string ApplyLoggingFormatFlags(const boost::program_options::variables_map& values);

}  // namespace numalign::kube
