#include "tests/support/apiserver/test_api_server.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/apiserver/api_core.h"
#include "tests/support/apiserver/http_server.h"

namespace numalign::test_apiserver {

std::unique_ptr<TestApiServer> TestApiServer::Start(const Options& options) {
  std::unique_ptr<TestApiServer> server(new TestApiServer());
  server->options_ = options;
  CoreOptions core_options;
  core_options.bearer_token = options.bearer_token;
  core_options.history_size = options.history_size;
  core_options.bookmark_interval = options.bookmark_interval;
  server->core_ = std::make_unique<ApiServerCore>(core_options);
  HttpServerOptions http_options;
  http_options.bind_address = options.bind_address;
  http_options.port = options.port;
  http_options.tls_cert_file = options.tls_cert_file;
  http_options.tls_key_file = options.tls_private_key_file;
  server->http_ = std::make_unique<HttpServer>(http_options, *server->core_);
  server->http_->Start();
  server->core_->SetServerAddress(options.bind_address + ":" + std::to_string(server->Port()));
  return server;
}

TestApiServer::~TestApiServer() {
  Stop();
}

uint16_t TestApiServer::Port() const {
  return http_->port();
}

std::string TestApiServer::Url() const {
  std::string host = options_.bind_address == "0.0.0.0" ? "127.0.0.1" : options_.bind_address;
  return std::string(http_->tls() ? "https" : "http") + "://" + host + ":" + std::to_string(Port());
}

std::string TestApiServer::Kubeconfig() const {
  std::ostringstream out;
  out << "apiVersion: v1\nkind: Config\nclusters:\n- name: numalign-test\n  cluster:\n"
      << "    server: " << Url() << "\n";
  if (http_->tls()) {
    std::ifstream cert(options_.tls_cert_file);
    std::stringstream pem;
    pem << cert.rdbuf();
    out << "    certificate-authority-data: " << Base64Encode(pem.str()) << "\n";
  }
  out << "users:\n- name: numalign-test\n  user:";
  if (!options_.bearer_token.empty())
    out << "\n    token: " << options_.bearer_token << "\n";
  else
    out << " {}\n";
  out << "contexts:\n- name: numalign-test\n  context:\n    cluster: numalign-test\n"
      << "    user: numalign-test\n    namespace: default\n"
      << "current-context: numalign-test\npreferences: {}\n";
  return out.str();
}

std::string TestApiServer::WriteKubeconfig(const std::string& path) const {
  std::ofstream file(path, std::ios::trunc);
  if (!file) throw std::runtime_error("cannot write kubeconfig " + path);
  file << Kubeconfig();
  return path;
}

void TestApiServer::DropAllWatches() {
  core_->DropAllWatches();
}
void TestApiServer::CompactHistory() {
  core_->CompactHistory();
}
void TestApiServer::InjectFaults(FaultSpec fault) {
  core_->InjectFault(std::move(fault));
}
void TestApiServer::ClearFaults() {
  core_->ClearFaults();
}

void TestApiServer::Stop() {
  if (http_) http_->Stop();
}

ApiServerCore& TestApiServer::core() {
  return *core_;
}

}  // namespace numalign::test_apiserver
