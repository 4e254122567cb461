#include "agent/pods/pod_json.h"

#include "numa/allocation/allocation_annotation.h"
#include "numa/allocation/pinned_annotation.h"

namespace numalign::agent {
namespace {

std::optional<std::string> StringAt(const nlohmann::json& j, const char* pointer) {
  const nlohmann::json::json_pointer p(pointer);
  if (!j.contains(p)) return std::nullopt;
  const auto& v = j.at(p);
  return v.is_string() ? std::optional<std::string>(v.get<std::string>()) : std::nullopt;
}

}  // namespace

std::optional<PodObservation> PodObservationFromJson(const nlohmann::json& pod,
                                                     std::string* error) {
  if (!pod.is_object()) {
    *error = "pod: not an object";
    return std::nullopt;
  }
  auto spec = numa::ParsePodJson(pod, error);
  if (!spec) return std::nullopt;
  if (!StringAt(pod, "/metadata/uid")) {
    *error = "metadata.uid: missing";
    return std::nullopt;
  }
  PodObservation o;
  o.spec = std::move(*spec);
  o.creation_timestamp = StringAt(pod, "/metadata/creationTimestamp").value_or("");
  const std::string annotations = "/metadata/annotations/";
  o.allocation_annotation = StringAt(pod, (annotations + "numalign.io~1allocation").c_str());
  o.pinned_annotation = StringAt(pod, (annotations + "numalign.io~1pinned").c_str());
  const std::string phase = StringAt(pod, "/status/phase").value_or("");
  o.terminated = phase == "Succeeded" || phase == "Failed";
  for (const char* list : {"/status/initContainerStatuses", "/status/containerStatuses"}) {
    const nlohmann::json::json_pointer p(list);
    if (!pod.contains(p) || !pod.at(p).is_array()) continue;
    for (const auto& status : pod.at(p)) {
      if (!status.is_object()) continue;
      auto name = status.find("name");
      auto id = status.find("containerID");
      if (name != status.end() && name->is_string() && id != status.end() && id->is_string() &&
          !id->get<std::string>().empty()) {
        o.container_ids[name->get<std::string>()] = id->get<std::string>();
      }
    }
  }
  return o;
}

}  // namespace numalign::agent
