#include "agent/podresources/podresources_client.h"

#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "podresources/v1/api.grpc.pb.h"

namespace numalign::agent::podresources {

namespace {

std::vector<std::int64_t> NumaIds(const v1::TopologyInfo& topology) {
  std::vector<std::int64_t> ids;
  for (const auto& node : topology.nodes()) ids.push_back(node.id());
  return ids;
}

MemoryBlock FromProto(const v1::ContainerMemory& memory) {
  return {memory.memory_type(), memory.size(), NumaIds(memory.topology())};
}

PodAssignment FromProto(const v1::PodResources& pod) {
  PodAssignment out{pod.namespace_(), pod.name(), {}};
  for (const auto& container : pod.containers()) {
    ContainerAssignment c{
        container.name(), {container.cpu_ids().begin(), container.cpu_ids().end()}, {}};
    for (const auto& memory : container.memory()) c.memory.push_back(FromProto(memory));
    out.containers.push_back(std::move(c));
  }
  return out;
}

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    default:
      return "ERROR";
  }
}

}  // namespace

PodResourcesClient::PodResourcesClient(PodResourcesClientOptions options)
    : options_(std::move(options)) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options_.max_receive_bytes);
  // The channel connects lazily and reconnects by itself when the kubelet restarts.
  channel_ = grpc::CreateCustomChannel("unix:" + options_.socket_path,
                                       grpc::InsecureChannelCredentials(), args);
}

PodResourcesClient::~PodResourcesClient() = default;

void PodResourcesClient::CheckSocket(const char* method) const {
  struct stat st {};
  if (::stat(options_.socket_path.c_str(), &st) != 0) {
    const int error = errno;
    throw PodResourcesError(
        std::string("podresources ") + method + ": socket " + options_.socket_path + " " +
        (error == ENOENT ? "does not exist (is the kubelet running, and its "
                           "pod-resources directory mounted into the agent?)"
                         : std::string("cannot be read: ") + std::strerror(error)));
  }
  if (!S_ISSOCK(st.st_mode)) {
    throw PodResourcesError(std::string("podresources ") + method + ": " + options_.socket_path +
                            " is not a Unix socket");
  }
}

namespace {

template <typename Call>
void Invoke(const std::string& socket, const char* method, std::chrono::milliseconds timeout,
            Call&& call) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  const grpc::Status status = call(context);
  if (!status.ok()) {
    std::string message = std::string("podresources ") + method + " on unix:" + socket +
                          " failed: " + CodeName(status.error_code()) + ": " +
                          status.error_message();
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      message += " (the kubelet rate-limits this API; backing off)";
    }
    throw PodResourcesError(message);
  }
}

}  // namespace

AllocatableResources PodResourcesClient::GetAllocatableResources() {
  CheckSocket("GetAllocatableResources");
  auto stub = v1::PodResourcesLister::NewStub(channel_);
  v1::AllocatableResourcesResponse response;
  Invoke(options_.socket_path, "GetAllocatableResources", options_.timeout,
         [&](grpc::ClientContext& context) {
           return stub->GetAllocatableResources(&context, v1::AllocatableResourcesRequest(),
                                                &response);
         });
  AllocatableResources out;
  out.cpu_ids.assign(response.cpu_ids().begin(), response.cpu_ids().end());
  for (const auto& memory : response.memory()) out.memory.push_back(FromProto(memory));
  return out;
}

std::vector<PodAssignment> PodResourcesClient::List() {
  CheckSocket("List");
  auto stub = v1::PodResourcesLister::NewStub(channel_);
  v1::ListPodResourcesResponse response;
  Invoke(options_.socket_path, "List", options_.timeout, [&](grpc::ClientContext& context) {
    return stub->List(&context, v1::ListPodResourcesRequest(), &response);
  });
  std::vector<PodAssignment> pods;
  for (const auto& pod : response.pod_resources()) pods.push_back(FromProto(pod));
  return pods;
}

std::optional<PodAssignment> PodResourcesClient::Get(const std::string& namespace_name,
                                                     const std::string& name) {
  CheckSocket("Get");
  auto stub = v1::PodResourcesLister::NewStub(channel_);
  v1::GetPodResourcesRequest request;
  request.set_pod_namespace(namespace_name);
  request.set_pod_name(name);
  v1::GetPodResourcesResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options_.timeout);
  const grpc::Status status = stub->Get(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::nullopt;
  if (!status.ok()) {
    throw PodResourcesError(
        "podresources Get " + namespace_name + "/" + name + " on unix:" + options_.socket_path +
        " failed: " + CodeName(status.error_code()) + ": " + status.error_message());
  }
  return FromProto(response.pod_resources());
}

}  // namespace numalign::agent::podresources
