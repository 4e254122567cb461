// numalign-test-apiserver: serves the test API server until SIGTERM/SIGINT and prints the
// kubeconfig to use.
#include <signal.h>

#include <boost/program_options.hpp>
#include <iostream>

#include "tests/support/apiserver/test_api_server.h"

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  using numalign::test_apiserver::TestApiServer;
  TestApiServer::Options options;
  std::string kubeconfig_out;
  int port = 0;
  size_t history = options.history_size;
  po::options_description description(
      "numalign-test-apiserver: an in-repo stand-in for kube-apiserver v1.32 (namespaces, nodes, "
      "pods, events, leases, CRDs and their custom resources)\n\nOptions");
  description.add_options()("help,h", "show this help")(
      "port", po::value<int>(&port)->default_value(0), "port to listen on (0 = ephemeral)")(
      "bind-address", po::value<std::string>(&options.bind_address)->default_value("127.0.0.1"),
      "address to bind")("tls-cert-file", po::value<std::string>(&options.tls_cert_file),
                         "serve HTTPS with this PEM certificate")(
      "tls-private-key-file", po::value<std::string>(&options.tls_private_key_file),
      "PEM private key of --tls-cert-file")(
      "token", po::value<std::string>(&options.bearer_token),
      "require this bearer token (401 for a wrong one, 403 for anonymous requests)")(
      "kubeconfig-out", po::value<std::string>(&kubeconfig_out),
      "also write the kubeconfig to this file")(
      "history", po::value<size_t>(&history)->default_value(options.history_size),
      "watch history size (events) before 410 Gone");
  po::variables_map values;
  try {
    po::store(po::parse_command_line(argc, argv, description), values);
    po::notify(values);
  } catch (const std::exception& error) {
    std::cerr << "numalign-test-apiserver: " << error.what() << "\n" << description << "\n";
    return 2;
  }
  if (values.count("help")) {
    std::cout << description << "\n";
    return 0;
  }
  if (options.tls_cert_file.empty() != options.tls_private_key_file.empty()) {
    std::cerr
        << "numalign-test-apiserver: --tls-cert-file and --tls-private-key-file go together\n";
    return 2;
  }
  options.port = static_cast<uint16_t>(port);
  options.history_size = history;

  // Block the signals before any thread starts so sigwait receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::unique_ptr<TestApiServer> server;
  try {
    server = TestApiServer::Start(options);
  } catch (const std::exception& error) {
    std::cerr << "numalign-test-apiserver: cannot start: " << error.what() << "\n";
    return 1;
  }
  if (!kubeconfig_out.empty()) server->WriteKubeconfig(kubeconfig_out);
  std::cout << server->Kubeconfig() << std::flush;
  std::cerr << "numalign-test-apiserver: serving on " << server->Url() << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  std::cerr << "numalign-test-apiserver: stopping" << std::endl;
  server->Stop();
  return 0;
}
