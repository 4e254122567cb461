#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "podresources/v1/api.grpc.pb.h"

namespace numalign::agent::podresources::testing {

// A kubelet stand-in: serves the real podresources v1 service on a Unix socket with whatever
// the test set. Used by unit tests, the integration tests and the simulator.
//
//   auto server = FakePodResourcesServer::Start(dir + "/kubelet.sock");
//   server->SetAllocatable(...);
//   server->AddPod("ns", "pod", {Container("c", {2, 3}, {Memory("memory", 1 << 30, {0})})});
//   server->FailWith(grpc::StatusCode::UNAVAILABLE, "kubelet restarting");
class FakePodResourcesServer {
 public:
  // Throws std::runtime_error when the socket cannot be served.
  static std::unique_ptr<FakePodResourcesServer> Start(const std::string& socket_path);
  ~FakePodResourcesServer();

  void SetAllocatable(v1::AllocatableResourcesResponse allocatable);
  void SetPods(v1::ListPodResourcesResponse pods);
  void AddPod(const std::string& namespace_name, const std::string& name,
              const std::vector<v1::ContainerResources>& containers);
  void RemovePod(const std::string& namespace_name, const std::string& name);
  // Every call fails with this status until ClearFailure().
  void FailWith(grpc::StatusCode code, std::string message);
  void ClearFailure();

  std::uint64_t list_calls() const;
  std::uint64_t allocatable_calls() const;
  const std::string& socket_path() const { return socket_path_; }
  // Stops serving and removes the socket (the kubelet going away).
  void Stop();

  // Builders for the messages above.
  static v1::ContainerMemory Memory(const std::string& type, std::uint64_t size,
                                    const std::vector<std::int64_t>& numa_nodes);
  static v1::ContainerResources Container(const std::string& name,
                                          const std::vector<std::int64_t>& cpu_ids,
                                          const std::vector<v1::ContainerMemory>& memory = {});

 private:
  class Service;
  FakePodResourcesServer() = default;

  std::string socket_path_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace numalign::agent::podresources::testing
