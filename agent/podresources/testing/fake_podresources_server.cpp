#include "agent/podresources/testing/fake_podresources_server.h"

#include <filesystem>
#include <stdexcept>

namespace numalign::agent::podresources::testing {

class FakePodResourcesServer::Service final : public v1::PodResourcesLister::Service {
 public:
  grpc::Status List(grpc::ServerContext*, const v1::ListPodResourcesRequest*,
                    v1::ListPodResourcesResponse* response) override {
    std::lock_guard lock(mutex);
    ++list_calls;
    if (failure) return *failure;
    *response = pods;
    return grpc::Status::OK;
  }

  grpc::Status GetAllocatableResources(grpc::ServerContext*, const v1::AllocatableResourcesRequest*,
                                       v1::AllocatableResourcesResponse* response) override {
    std::lock_guard lock(mutex);
    ++allocatable_calls;
    if (failure) return *failure;
    *response = allocatable;
    return grpc::Status::OK;
  }

  grpc::Status Get(grpc::ServerContext*, const v1::GetPodResourcesRequest* request,
                   v1::GetPodResourcesResponse* response) override {
    std::lock_guard lock(mutex);
    if (failure) return *failure;
    for (const auto& pod : pods.pod_resources()) {
      if (pod.namespace_() == request->pod_namespace() && pod.name() == request->pod_name()) {
        *response->mutable_pod_resources() = pod;
        return grpc::Status::OK;
      }
    }
    return {grpc::StatusCode::NOT_FOUND,
            "pod " + request->pod_name() + " not found in namespace " + request->pod_namespace()};
  }

  mutable std::mutex mutex;
  v1::AllocatableResourcesResponse allocatable;
  v1::ListPodResourcesResponse pods;
  std::optional<grpc::Status> failure;
  std::uint64_t list_calls = 0;
  std::uint64_t allocatable_calls = 0;
};

std::unique_ptr<FakePodResourcesServer> FakePodResourcesServer::Start(
    const std::string& socket_path) {
  std::unique_ptr<FakePodResourcesServer> server(new FakePodResourcesServer());
  server->socket_path_ = socket_path;
  server->service_ = std::make_unique<Service>();
  std::error_code ignored;
  std::filesystem::remove(socket_path, ignored);  // a stale socket from an earlier run
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + socket_path, grpc::InsecureServerCredentials());
  builder.RegisterService(server->service_.get());
  server->server_ = builder.BuildAndStart();
  if (!server->server_) {
    throw std::runtime_error("cannot serve podresources on unix:" + socket_path);
  }
  return server;
}

FakePodResourcesServer::~FakePodResourcesServer() {
  Stop();
}

void FakePodResourcesServer::SetAllocatable(v1::AllocatableResourcesResponse allocatable) {
  std::lock_guard lock(service_->mutex);
  service_->allocatable = std::move(allocatable);
}

void FakePodResourcesServer::SetPods(v1::ListPodResourcesResponse pods) {
  std::lock_guard lock(service_->mutex);
  service_->pods = std::move(pods);
}

void FakePodResourcesServer::AddPod(const std::string& namespace_name, const std::string& name,
                                    const std::vector<v1::ContainerResources>& containers) {
  std::lock_guard lock(service_->mutex);
  auto* pod = service_->pods.add_pod_resources();
  pod->set_namespace_(namespace_name);
  pod->set_name(name);
  for (const auto& c : containers) *pod->add_containers() = c;
}

void FakePodResourcesServer::RemovePod(const std::string& namespace_name, const std::string& name) {
  std::lock_guard lock(service_->mutex);
  auto* pods = service_->pods.mutable_pod_resources();
  for (int i = 0; i < pods->size(); ++i) {
    if (pods->Get(i).namespace_() == namespace_name && pods->Get(i).name() == name) {
      pods->DeleteSubrange(i, 1);
      return;
    }
  }
}

void FakePodResourcesServer::FailWith(grpc::StatusCode code, std::string message) {
  std::lock_guard lock(service_->mutex);
  service_->failure = grpc::Status(code, std::move(message));
}

void FakePodResourcesServer::ClearFailure() {
  std::lock_guard lock(service_->mutex);
  service_->failure.reset();
}

std::uint64_t FakePodResourcesServer::list_calls() const {
  std::lock_guard lock(service_->mutex);
  return service_->list_calls;
}

std::uint64_t FakePodResourcesServer::allocatable_calls() const {
  std::lock_guard lock(service_->mutex);
  return service_->allocatable_calls;
}

void FakePodResourcesServer::Stop() {
  if (!server_) return;
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  server_->Wait();
  server_.reset();
  std::error_code ignored;
  std::filesystem::remove(socket_path_, ignored);
}

v1::ContainerMemory FakePodResourcesServer::Memory(const std::string& type, std::uint64_t size,
                                                   const std::vector<std::int64_t>& numa_nodes) {
  v1::ContainerMemory memory;
  memory.set_memory_type(type);
  memory.set_size(size);
  for (auto id : numa_nodes) memory.mutable_topology()->add_nodes()->set_id(id);
  return memory;
}

v1::ContainerResources FakePodResourcesServer::Container(
    const std::string& name, const std::vector<std::int64_t>& cpu_ids,
    const std::vector<v1::ContainerMemory>& memory) {
  v1::ContainerResources container;
  container.set_name(name);
  for (auto cpu : cpu_ids) container.add_cpu_ids(cpu);
  for (const auto& m : memory) *container.add_memory() = m;
  return container;
}

}  // namespace numalign::agent::podresources::testing
