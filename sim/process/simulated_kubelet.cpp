#include "sim/process/simulated_kubelet.h"

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "agent/cgroup/cgroup_driver.h"
#include "kube/rest/api_error.h"
#include "kube/rest/resource.h"
#include "numa/pod/pod_requests.h"
#include "numa/pod/pod_spec.h"

namespace numalign::sim::process {
namespace {

namespace cg = agent::cgroup;
constexpr cg::CgroupLayout kLayout(cg::CgroupVersion::kV2, cg::CgroupDriver::kSystemd);

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

cg::QosClass QosOf(const nlohmann::json& pod) {
  std::string error;
  auto spec = numa::ParsePodJson(pod, &error);
  if (!spec) throw std::runtime_error("unreadable pod: " + error);
  switch (numa::ComputePodRequests(*spec).qos) {
    case numa::QosClass::kGuaranteed:
      return cg::QosClass::kGuaranteed;
    case numa::QosClass::kBurstable:
      return cg::QosClass::kBurstable;
    case numa::QosClass::kBestEffort:
      break;
  }
  return cg::QosClass::kBestEffort;
}

cg::PodUid UidOf(const nlohmann::json& pod) {
  auto uid = cg::PodUid::Parse(pod.value("/metadata/uid"_json_pointer, std::string()));
  if (!uid)
    throw std::runtime_error("pod uid unusable in a cgroup path: " + uid.error().ToString());
  return uid.value();
}

std::string Key(const nlohmann::json& pod) {
  return pod.value("/metadata/namespace"_json_pointer, std::string()) + "/" +
         pod.value("/metadata/name"_json_pointer, std::string());
}

}  // namespace

SimulatedKubelet::SimulatedKubelet(std::string node_name, std::filesystem::path cgroup_root,
                                   std::shared_ptr<kube::ApiClient> api)
    : node_name_(std::move(node_name)), cgroup_root_(std::move(cgroup_root)), api_(std::move(api)) {
  std::filesystem::create_directories(cgroup_root_);
  WriteFile(cgroup_root_ / "cgroup.controllers", "cpuset cpu io memory pids\n");
  for (auto qos :
       {cg::QosClass::kGuaranteed, cg::QosClass::kBurstable, cg::QosClass::kBestEffort}) {
    MakeCgroup(kLayout.QosPath(qos));
  }
}

void SimulatedKubelet::MakeCgroup(const std::string& relative) const {
  const auto dir = cgroup_root_ / relative;
  std::filesystem::create_directories(dir);
  // Empty cpusets: the cgroup inherits its parent's, as a fresh one does on cgroup v2.
  for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
    if (!std::filesystem::exists(dir / file)) WriteFile(dir / file, "\n");
  }
}

std::string SimulatedKubelet::NextContainerId() {
  char id[65];
  std::snprintf(id, sizeof(id), "%032x%032llx", 0x5117u,
                static_cast<unsigned long long>(++next_container_));
  return id;
}

std::string SimulatedKubelet::PodCgroupPath(const nlohmann::json& pod) {
  return kLayout.PodPath(QosOf(pod), UidOf(pod));
}

void SimulatedKubelet::StartPod(const nlohmann::json& pod) {
  const cg::QosClass qos = QosOf(pod);
  const cg::PodUid uid = UidOf(pod);
  MakeCgroup(kLayout.PodPath(qos, uid));
  auto statuses_of = [&](const char* list, bool init) {
    nlohmann::json statuses = nlohmann::json::array();
    for (const auto& container : pod["spec"].value(list, nlohmann::json::array())) {
      auto ref = cg::ContainerRef::Create(cg::ContainerRuntime::kContainerd, NextContainerId());
      MakeCgroup(kLayout.ContainerPath(qos, uid, ref.value()));
      const bool sidecar = init && container.value("restartPolicy", "") == "Always";
      nlohmann::json state =
          init && !sidecar
              ? nlohmann::json{{"terminated", {{"exitCode", 0}, {"reason", "Completed"}}}}
              : nlohmann::json{{"running", nlohmann::json::object()}};
      statuses.push_back({{"name", container.value("name", "")},
                          {"containerID", "containerd://" + ref->id()},
                          {"image", container.value("image", "")},
                          {"imageID", ""},
                          {"ready", !init || sidecar},
                          {"restartCount", 0},
                          {"started", !init || sidecar},
                          {"state", state}});
    }
    return statuses;
  };
  nlohmann::json status = {{"phase", "Running"},
                           {"hostIP", "127.0.0.1"},
                           {"initContainerStatuses", statuses_of("initContainers", true)},
                           {"containerStatuses", statuses_of("containers", false)}};
  if (status["initContainerStatuses"].empty()) status.erase("initContainerStatuses");
  api_->Patch(kube::resources::Pods(), pod["metadata"].value("namespace", ""),
              pod["metadata"].value("name", ""), kube::PatchType::kMerge, {{"status", status}}, {},
              "status");
}

void SimulatedKubelet::FailPod(const nlohmann::json& pod, const std::string& reason,
                               const std::string& message) {
  nlohmann::json status = {{"phase", "Failed"}, {"reason", reason}, {"message", message}};
  api_->Patch(kube::resources::Pods(), pod["metadata"].value("namespace", ""),
              pod["metadata"].value("name", ""), kube::PatchType::kMerge, {{"status", status}}, {},
              "status");
}

void SimulatedKubelet::FinishDeletion(const nlohmann::json& pod) {
  std::error_code ignored;
  std::filesystem::remove_all(cgroup_root_ / PodCgroupPath(pod), ignored);
  kube::DeleteOptions now;
  now.grace_period_seconds = 0;
  now.precondition_uid = pod.value("/metadata/uid"_json_pointer, std::string());
  const std::string ns = pod["metadata"].value("namespace", "");
  const std::string name = pod["metadata"].value("name", "");
  try {
    api_->Delete(kube::resources::Pods(), ns, name, now);
  } catch (const kube::ApiError& e) {
    if (!e.IsNotFound() && !e.IsConflict()) throw;  // gone, or another incarnation by now
  }
  for (int i = 0; i < 1000; ++i) {
    try {
      auto current = api_->Get(kube::resources::Pods(), ns, name);
      if (current.value("/metadata/uid"_json_pointer, std::string()) != *now.precondition_uid) {
        return;
      }
    } catch (const kube::ApiError& e) {
      if (e.IsNotFound()) return;
      throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  throw std::runtime_error("pod " + Key(pod) + " still exists after its final delete");
}

}  // namespace numalign::sim::process
