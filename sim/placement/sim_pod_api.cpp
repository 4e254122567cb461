#include "sim/placement/sim_pod_api.h"

#include <stdexcept>

#include "kube/rest/api_error.h"
#include "kube/rest/resource.h"

namespace numalign::sim {
namespace {

std::string Key(std::string_view ns, std::string_view name) {
  return std::string(ns) + "/" + std::string(name);
}

[[noreturn]] void Unsupported(const char* call) {
  throw std::logic_error(std::string("the simulator's pod API does not implement ") + call);
}

}  // namespace

void SimPodApi::Store(const kube::Json& pod) {
  std::lock_guard lock(mutex_);
  pods_[Key(pod["metadata"]["namespace"].get<std::string>(),
            pod["metadata"]["name"].get<std::string>())] = pod;
}

void SimPodApi::Erase(const std::string& ns, const std::string& name) {
  std::lock_guard lock(mutex_);
  pods_.erase(Key(ns, name));
}

kube::Json SimPodApi::Pod(const std::string& ns, const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = pods_.find(Key(ns, name));
  if (it == pods_.end()) throw kube::ApiError(404, "NotFound", "pods \"" + name + "\" not found");
  return it->second;
}

kube::Json& SimPodApi::Find(const kube::ResourceDescriptor& r, std::string_view ns,
                            std::string_view name) {
  if (&r != &kube::resources::Pods()) Unsupported("resources other than pods");
  auto it = pods_.find(Key(ns, name));
  if (it == pods_.end()) {
    throw kube::ApiError(404, "NotFound", "pods \"" + std::string(name) + "\" not found");
  }
  return it->second;
}

kube::Json SimPodApi::Get(const kube::ResourceDescriptor& r, std::string_view ns,
                          std::string_view name, std::string_view subresource) {
  if (!subresource.empty()) Unsupported("GET of subresources");
  std::lock_guard lock(mutex_);
  return Find(r, ns, name);
}

kube::Json SimPodApi::Patch(const kube::ResourceDescriptor& r, std::string_view ns,
                            std::string_view name, kube::PatchType type, const kube::Json& patch,
                            const kube::WriteOptions&, std::string_view subresource) {
  if (type == kube::PatchType::kJson || !subresource.empty()) Unsupported("this patch");
  std::lock_guard lock(mutex_);
  kube::Json& pod = Find(r, ns, name);
  pod.merge_patch(patch);
  return pod;
}

kube::Json SimPodApi::CreateSubresource(const kube::ResourceDescriptor& r, std::string_view ns,
                                        std::string_view name, std::string_view subresource,
                                        const kube::Json& body, const kube::WriteOptions&) {
  if (subresource != "binding") Unsupported("subresources other than binding");
  std::lock_guard lock(mutex_);
  kube::Json& pod = Find(r, ns, name);
  const std::string uid = body.value("/metadata/uid"_json_pointer, "");
  if (!uid.empty() && pod["metadata"].value("uid", "") != uid) {
    throw kube::ApiError(409, "Conflict", "the pod's uid does not match the binding");
  }
  if (!pod["spec"].value("nodeName", "").empty()) {
    throw kube::ApiError(409, "Conflict",
                         "pod " + std::string(name) + " is already assigned to node " +
                             pod["spec"]["nodeName"].get<std::string>());
  }
  pod["spec"]["nodeName"] = body["target"]["name"];
  return {{"kind", "Status"}, {"status", "Success"}};
}

kube::Json SimPodApi::List(const kube::ResourceDescriptor&, std::string_view,
                           const kube::ListOptions&) {
  Unsupported("List");
}
std::unique_ptr<kube::WatchStream> SimPodApi::Watch(const kube::ResourceDescriptor&,
                                                    std::string_view, const kube::WatchOptions&) {
  Unsupported("Watch");
}
kube::Json SimPodApi::Create(const kube::ResourceDescriptor&, std::string_view, const kube::Json&,
                             const kube::WriteOptions&) {
  Unsupported("Create");
}
kube::Json SimPodApi::Update(const kube::ResourceDescriptor&, std::string_view, const kube::Json&,
                             const kube::WriteOptions&, std::string_view) {
  Unsupported("Update");
}
kube::Json SimPodApi::Apply(const kube::ResourceDescriptor&, std::string_view, std::string_view,
                            const kube::Json&, const kube::ApplyOptions&, std::string_view) {
  Unsupported("Apply");
}
kube::Json SimPodApi::Delete(const kube::ResourceDescriptor&, std::string_view, std::string_view,
                             const kube::DeleteOptions&) {
  Unsupported("Delete");
}

}  // namespace numalign::sim
