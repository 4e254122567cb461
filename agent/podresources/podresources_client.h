#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/podresources/podresources_types.h"

namespace grpc {
class Channel;
}

namespace numalign::agent::podresources {

inline constexpr const char* kDefaultPodResourcesSocket =
    "/var/lib/kubelet/pod-resources/kubelet.sock";

struct PodResourcesClientOptions {
  std::string socket_path = kDefaultPodResourcesSocket;  // --podresources-socket
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};
  // Large nodes list many pods; the kubelet's own e2e tests allow 16 MiB.
  int max_receive_bytes = 16 * 1024 * 1024;
};

// A podresources v1 client over the kubelet's Unix socket. Every call checks the socket first
// (a missing socket says so, instead of a generic gRPC "unavailable"), has a deadline, and
// throws PodResourcesError naming the socket, the method and the gRPC status. Thread-safe.
class PodResourcesClient final : public PodResourcesApi {
 public:
  explicit PodResourcesClient(PodResourcesClientOptions options = {});
  ~PodResourcesClient() override;

  AllocatableResources GetAllocatableResources() override;
  std::vector<PodAssignment> List() override;
  // One pod (needs the kubelet's KubeletPodResourcesGet gate); nullopt when the kubelet does
  // not know the pod.
  std::optional<PodAssignment> Get(const std::string& namespace_name, const std::string& name);

  const std::string& socket_path() const { return options_.socket_path; }

 private:
  void CheckSocket(const char* method) const;

  PodResourcesClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace numalign::agent::podresources
