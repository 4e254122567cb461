#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "controller/defragmentation/defragmenter.h"
#include "controller/nrt_lifecycle/nrt_reconciler.h"
#include "controller/recovery/pod_recoverer.h"
#include "kube/config/loader.h"
#include "kube/leaderelection/leader_elector.h"
#include "kube/rest/client_options.h"

namespace numalign::controller {

struct ControllerOptions {
  kube::ConfigSource config_source;
  kube::ClientOptions client_options;
  kube::LeaderElectionOptions leader_election;
  NrtLifecycleOptions nrt;
  RecoveryOptions recovery;
  DefragmentationOptions defragmentation;
  std::chrono::milliseconds sync_period = std::chrono::seconds(30);
  int health_port = 10258;                      // --health-port: /healthz, /readyz
  std::string metrics_bind_address = ":10259";  // --metrics-bind-address: /metrics
  int verbosity = 0;                            // --v
  std::string log_format = "text";  // --logging-format (alias --log-format): text | json
  bool help = false;
  std::string help_text;
};

// Parses the command line (kubelet/kube-controller-manager style names, Go durations "2m").
// Throws std::invalid_argument with a message naming the flag for bad values.
ControllerOptions ParseControllerFlags(const std::vector<std::string>& args);

}  // namespace numalign::controller
