#include "sim/model/pod_object.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace numalign::sim {
namespace {

nlohmann::json ResourceListJson(const std::map<std::string, numa::Quantity>& list) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, quantity] : list) out[name] = quantity.ToString();
  return out;
}

nlohmann::json ContainerJson(const numa::ContainerSpec& c) {
  nlohmann::json out = {{"name", c.name}, {"image", "registry.k8s.io/pause:3.10"}};
  nlohmann::json resources = nlohmann::json::object();
  if (!c.requests.empty()) resources["requests"] = ResourceListJson(c.requests);
  if (!c.limits.empty()) resources["limits"] = ResourceListJson(c.limits);
  out["resources"] = resources;
  if (c.role == numa::ContainerRole::kRestartableInit) out["restartPolicy"] = "Always";
  return out;
}

// RFC 3339 at second resolution, virtual time counted from a fixed epoch so that runs repeat.
std::string Timestamp(double seconds) {
  std::time_t t = 1767225600 + static_cast<std::time_t>(std::floor(seconds));  // 2026-01-01
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string IncarnationUid(std::uint64_t event_sequence, int attempt) {
  char buf[64];
  // Zero-padded so that uid order is creation order (the extender's replay breaks timestamp
  // ties by uid).
  std::snprintf(buf, sizeof buf, "sim-%010llu-%d", static_cast<unsigned long long>(event_sequence),
                attempt);
  return buf;
}

std::string IncarnationName(const std::string& name, int attempt) {
  return attempt == 0 ? name : name + "-r" + std::to_string(attempt);
}

nlohmann::json PodObject(const SimPod& pod, const std::string& uid, double created_at_s,
                         const std::string& scheduler_name) {
  nlohmann::json metadata = {{"name", pod.spec.name},
                             {"namespace", pod.spec.namespace_name},
                             {"uid", uid},
                             {"creationTimestamp", Timestamp(created_at_s)}};
  if (pod.owner_replicaset) {
    metadata["ownerReferences"] = nlohmann::json::array({{{"apiVersion", "apps/v1"},
                                                          {"kind", "ReplicaSet"},
                                                          {"name", *pod.owner_replicaset},
                                                          {"uid", "rs-" + *pod.owner_replicaset},
                                                          {"controller", true}}});
  }
  nlohmann::json containers = nlohmann::json::array();
  for (const auto& c : pod.spec.containers) containers.push_back(ContainerJson(c));
  nlohmann::json spec = {{"schedulerName", scheduler_name}, {"containers", containers}};
  if (!pod.spec.init_containers.empty()) {
    nlohmann::json init = nlohmann::json::array();
    for (const auto& c : pod.spec.init_containers) init.push_back(ContainerJson(c));
    spec["initContainers"] = init;
  }
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", metadata},
          {"spec", spec},
          {"status", {{"phase", "Pending"}}}};
}

}  // namespace numalign::sim
