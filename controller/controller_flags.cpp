#include "controller/controller_flags.h"

#include <boost/program_options.hpp>
#include <sstream>
#include <stdexcept>

#include "controller/server/bind_address.h"
#include "controller/server/controller_servers.h"
#include "kube/flags/duration.h"
#include "kube/flags/kube_flags.h"

namespace numalign::controller {

namespace po = boost::program_options;

namespace {

std::chrono::milliseconds Duration(const po::variables_map& values, const char* flag) {
  const auto text = values[flag].as<std::string>();
  const auto d = kube::ParseGoDuration(text);
  if (!d || d->count() <= 0) {
    throw std::invalid_argument("--" + std::string(flag) + ": not a positive duration: " + text);
  }
  return *d;
}

}  // namespace

ControllerOptions ParseControllerFlags(const std::vector<std::string>& args) {
  ControllerOptions o;
  o.leader_election.resource_name = "numalign-controller";
  po::options_description description("numalign-controller flags");
  description.add_options()("help,h", "Show this help")(
      "v", po::value(&o.verbosity)->default_value(0), "Log verbosity (0: changes only, 2+: debug)")(

      "stale-after", po::value<std::string>()->default_value("3m"),
      "Mark a node's NUMA data stale when its agent heartbeat (NRT attribute "
      "numalign.io/heartbeat) is older than this")(
      "recovery-backoff-base", po::value<std::string>()->default_value("10s"),
      "First wait between two recoveries of pods of the same owner; doubles each time")(
      "recovery-backoff-max", po::value<std::string>()->default_value("10m"),
      "Longest wait between two recoveries of pods of the same owner")(
      "defragment", po::value<std::string>()->default_value("dry-run"),
      "off | dry-run (report plans as Events and logs) | evict (evict through the Eviction API)")(
      "defragment-max-evictions", po::value(&o.defragmentation.max_evictions)->default_value(3),
      "Largest eviction set considered for one pending pod")(
      "scheduler-name",
      po::value(&o.defragmentation.scheduler_name)->default_value("numalign-scheduler"),
      "spec.schedulerName of the pods the defragmenter helps")(
      "sync-period", po::value<std::string>()->default_value("30s"),
      "How often the leader reconciles the cluster")(
      "health-port", po::value(&o.health_port)->default_value(o.health_port),
      "Port of /healthz and /readyz (0: off)")(
      "metrics-bind-address",
      po::value(&o.metrics_bind_address)->default_value(o.metrics_bind_address),
      "host:port of /metrics (\"0\": off)");
  kube::AddClientFlags(description, o.config_source, o.client_options);
  kube::AddLeaderElectionFlags(description, o.leader_election);
  kube::AddLoggingFormatFlags(description, "text");

  std::vector<const char*> argv{"numalign-controller"};
  for (const auto& a : args) argv.push_back(a.c_str());
  po::variables_map values;
  try {
    po::store(po::parse_command_line(static_cast<int>(argv.size()), argv.data(), description),
              values);
    po::notify(values);
  } catch (const po::error& e) {
    throw std::invalid_argument(e.what());
  }
  std::ostringstream help;
  help << description;
  o.help_text = help.str();
  o.help = values.count("help") > 0;
  kube::ApplyLeaderElectionFlags(values, o.leader_election);
  o.log_format = kube::ApplyLoggingFormatFlags(values);
  o.nrt.stale_after = Duration(values, "stale-after");
  o.recovery.backoff.base = Duration(values, "recovery-backoff-base");
  o.recovery.backoff.max = Duration(values, "recovery-backoff-max");
  if (o.recovery.backoff.max < o.recovery.backoff.base) {
    throw std::invalid_argument("--recovery-backoff-max must not be below --recovery-backoff-base");
  }
  o.sync_period = Duration(values, "sync-period");
  const auto mode = values["defragment"].as<std::string>();
  if (mode == "off") {
    o.defragmentation.mode = DefragmentMode::kOff;
  } else if (mode == "dry-run") {
    o.defragmentation.mode = DefragmentMode::kDryRun;
  } else if (mode == "evict") {
    o.defragmentation.mode = DefragmentMode::kEvict;
  } else {
    throw std::invalid_argument("--defragment: want off, dry-run or evict, got " + mode);
  }
  try {
    ParseBindAddress(o.metrics_bind_address);
    HealthListener(o.health_port);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--metrics-bind-address/--health-port: ") + e.what());
  }
  if (o.defragmentation.max_evictions < 1 || o.defragmentation.max_evictions > 8) {
    throw std::invalid_argument("--defragment-max-evictions: want 1..8");
  }
  return o;
}

}  // namespace numalign::controller
