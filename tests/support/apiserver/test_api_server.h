// The in-process test API server: a kube-apiserver v1.32 look-alike for what numalign uses, so
// integration tests and the simulator run without a cluster (and the same tests run unchanged
// against a real one).
//
//   auto server = TestApiServer::Start({});
//   server->WriteKubeconfig("/tmp/kubeconfig");   // KUBECONFIG for clients and kubectl
//   server->InjectFaults({.path_prefix = "/api/v1/pods", .status = 429, .count = 2});
//   server->DropAllWatches();   // every open watch ends; clients must re-watch
//   server->CompactHistory();   // watches/lists from older resourceVersions get 410 Gone
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "tests/support/apiserver/faults.h"

namespace numalign::test_apiserver {

class ApiServerCore;
class HttpServer;

class TestApiServer {
 public:
  struct Options {
    uint16_t port = 0;  // 0 = an ephemeral port
    std::string bind_address = "127.0.0.1";
    std::string tls_cert_file;  // both set = serve HTTPS
    std::string tls_private_key_file;
    std::string bearer_token;    // set = requests need "Authorization: Bearer <token>"
    size_t history_size = 1000;  // watch history before 410 Gone
    std::chrono::milliseconds bookmark_interval{60000};
  };

  static std::unique_ptr<TestApiServer> Start(const Options& options);
  ~TestApiServer();

  std::string Url() const;  // "http://127.0.0.1:PORT" or "https://..."
  uint16_t Port() const;
  std::string Kubeconfig() const;  // YAML naming this server (and the token / CA when set)
  // Writes Kubeconfig() to path and returns the path.
  std::string WriteKubeconfig(const std::string& path) const;

  void DropAllWatches();
  void CompactHistory();
  void InjectFaults(FaultSpec fault);
  void ClearFaults();
  void Stop();

  ApiServerCore& core();

 private:
  TestApiServer() = default;
  Options options_;
  std::unique_ptr<ApiServerCore> core_;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace numalign::test_apiserver
