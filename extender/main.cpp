// numalign-extender: the HTTP scheduler extender kube-scheduler calls for NUMA pods.

#include <signal.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "common/http/http_server.h"
#include "common/logging/log.h"
#include "common/metrics/registry.h"
#include "extender/config/decision_options.h"
#include "extender/numa_main_wiring.h"
#include "extender/server/extender_service.h"
#include "extender/server/router.h"
#include "kube/flags/kube_flags.h"
#include "kube/rest/client_factory.h"

namespace po = boost::program_options;
using namespace numalign::extender;
namespace http = numalign::http;
namespace logging = numalign::logging;

namespace {

struct Flags {
  http::ServerOptions server;
  std::string url_prefix;
  std::string request_timeout;
  std::string idle_timeout;
  int verbosity = 0;
  std::string log_format;
  numalign::kube::ConfigSource api_source;
  numalign::kube::ClientOptions api_options;
  std::string unmanaged_nodes;
  std::string scoring_strategy;
  std::string resource_weights;
  std::string tls_cert_file, tls_private_key_file, client_ca_file;
  DecisionOptions decision;
};

po::options_description describe(Flags& flags) {
  po::options_description options("numalign-extender flags");
  // clang-format off
  options.add_options()
    ("help,h", "Print this help and exit.")
    ("bind-address", po::value(&flags.server.bind_address)->default_value("0.0.0.0"),
     "IP address to listen on (127.0.0.1 for a sidecar of kube-scheduler).")
    ("port", po::value(&flags.server.port)->default_value(8888), "Port to listen on.")
    ("url-prefix", po::value(&flags.url_prefix)->default_value("/numalign"),
     "Path prefix of the verbs: POST <prefix>/filter, /prioritize, /bind, /preempt. "
     "Must match the path of urlPrefix in the scheduler's extender configuration.")
    ("threads", po::value(&flags.server.threads)->default_value(2),
     "Worker threads serving requests.")
    ("tls-cert-file", po::value(&flags.tls_cert_file),
     "PEM certificate chain; serve HTTPS when set (enableHTTPS in the scheduler config).")
    ("tls-private-key-file", po::value(&flags.tls_private_key_file),
     "PEM private key of --tls-cert-file.")
    ("client-ca-file", po::value(&flags.client_ca_file),
     "PEM CA bundle; when set, clients must present a certificate it signed (mTLS).")
    ("max-request-bytes", po::value(&flags.server.max_request_bytes)->default_value(16 << 20),
     "Largest accepted request body; larger ones get 400.")
    ("request-timeout", po::value(&flags.request_timeout)->default_value("5s"),
     "Time limit to read a request, decide and write the reply (Go duration). Keep it at or "
     "below the scheduler's httpTimeout.")
    ("idle-timeout", po::value(&flags.idle_timeout)->default_value("90s"),
     "How long an idle keep-alive connection stays open.")
    ("v", po::value(&flags.verbosity)->default_value(0),
     "Log verbosity, as klog's -v: 2 logs rejections and binds, 4 every request.")
    ("unmanaged-nodes", po::value(&flags.unmanaged_nodes)->default_value("pass"),
     "Filter verdict for nodes without a NodeResourceTopology: pass or reject.")
    ("scoring-strategy", po::value(&flags.scoring_strategy)->default_value("least-numa-nodes"),
     "least-numa-nodes, most-allocated, least-allocated or balanced.")
    ("resource-weights", po::value(&flags.resource_weights)->default_value("cpu=1,memory=1"),
     "Resource weights of the allocation strategies, name=weight,...");
  // clang-format on
  // --kubeconfig, --context, --kube-api-qps, --kube-api-burst.
  numalign::kube::AddClientFlags(options, flags.api_source, flags.api_options);
  // --logging-format (and its deprecated alias --log-format).
  numalign::kube::AddLoggingFormatFlags(options, "text");
  return options;
}

void validate(Flags& flags) {
  flags.decision.unmanaged_nodes = parse_unmanaged_nodes(flags.unmanaged_nodes);
  flags.decision.scoring_strategy = parse_scoring_strategy(flags.scoring_strategy);
  flags.decision.resource_weights = parse_resource_weights(flags.resource_weights);
  flags.server.request_timeout = parse_duration(flags.request_timeout);
  flags.server.idle_timeout = parse_duration(flags.idle_timeout);
  if (flags.server.request_timeout.count() <= 0) {
    throw std::invalid_argument("--request-timeout must be positive");
  }
  if (flags.server.threads < 1) throw std::invalid_argument("--threads must be at least 1");
  if (flags.tls_cert_file.empty() != flags.tls_private_key_file.empty()) {
    throw std::invalid_argument("--tls-cert-file and --tls-private-key-file go together");
  }
  if (!flags.client_ca_file.empty() && flags.tls_cert_file.empty()) {
    throw std::invalid_argument("--client-ca-file needs --tls-cert-file");
  }
  if (!flags.tls_cert_file.empty()) {
    flags.server.tls =
        http::TlsOptions{flags.tls_cert_file, flags.tls_private_key_file, flags.client_ca_file};
  }
}

// Blocks SIGINT/SIGTERM in every thread (the pool inherits the mask) so main can wait for them.
sigset_t block_termination_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  const auto options = describe(flags);
  try {
    po::variables_map values;
    po::store(po::parse_command_line(argc, argv, options), values);
    if (values.count("help")) {
      std::cout << "numalign-extender: scheduler extender for NUMA-aligned placement.\n\n"
                << options << "\n";
      return 0;
    }
    po::notify(values);
    flags.log_format = numalign::kube::ApplyLoggingFormatFlags(values);
    validate(flags);
  } catch (const std::exception& e) {
    std::cerr << "numalign-extender: " << e.what() << "\nRun with --help for the flags.\n";
    return 2;
  }

  logging::configure(flags.log_format == "json" ? logging::Format::kJson : logging::Format::kText,
                     flags.verbosity);
  const sigset_t signals = block_termination_signals();

  numalign::metrics::Registry registry;
  ServiceMetrics metrics(registry);
  std::unique_ptr<NumaDeciderStack> numa;
  try {
    flags.api_options.user_agent = numalign::kube::DefaultUserAgent("numalign-extender", "0.1.0");
    auto api = numalign::kube::MakeApiClient(numalign::kube::LoadRestConfig(flags.api_source),
                                             flags.api_options);
    numa = StartNumaDecider(api, flags.decision);
  } catch (const std::exception& e) {
    logging::error("API configuration", {{"error", e.what()}});
    return 1;
  }
  RegisterCacheSizes(*numa, metrics);
  logging::info(
      "NUMA decider started; ready once the informers have synced",
      {{"unmanagedNodes", std::string(to_string(flags.decision.unmanaged_nodes))},
       {"scoringStrategy", std::string(to_string(flags.decision.scoring_strategy))},
       {"kubeconfig",
        flags.api_source.kubeconfig.empty() ? "default/in-cluster" : flags.api_source.kubeconfig}});

  ServiceOptions service_options;
  service_options.decision_timeout = flags.server.request_timeout;
  ExtenderService service(*numa->decider, metrics, service_options);
  // Not ready until the NRT, pod and node informers have synced: a filter answered from a
  // partial view could over-commit a NUMA node.
  Router router(flags.url_prefix, service, metrics, [&numa] { return numa->Ready(); });
  http::HttpServer server(
      flags.server, [&router](const http::HttpRequest& request) { return router.handle(request); },
      &metrics);
  try {
    server.start();
  } catch (const std::exception& e) {
    logging::error("Cannot start the server", {{"error", e.what()}});
    return 1;
  }
  logging::info("Serving", {{"address", flags.server.bind_address},
                            {"port", std::to_string(server.port())},
                            {"urlPrefix", router.url_prefix()},
                            {"threads", std::to_string(flags.server.threads)},
                            {"tls", flags.server.tls ? "true" : "false"},
                            {"clientCertificates",
                             flags.client_ca_file.empty() ? "not verified" : "required"}});

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  logging::info("Shutting down", {{"signal", std::to_string(signal_number)}});
  server.stop();
  numa->feeder->Stop();
  return 0;
}
