#include "agent/allocation/pod_record.h"

namespace numalign::agent {

std::string ToString(PlacementSource source) {
  switch (source) {
    case PlacementSource::kExtender:
      return "extender";
    case PlacementSource::kKubelet:
      return "kubelet";
    case PlacementSource::kRebuilt:
      return "rebuilt";
  }
  return "kubelet";
}

std::optional<PlacementSource> ParsePlacementSource(const std::string& text) {
  if (text == "extender") return PlacementSource::kExtender;
  if (text == "kubelet") return PlacementSource::kKubelet;
  if (text == "rebuilt") return PlacementSource::kRebuilt;
  return std::nullopt;
}

nlohmann::json PodRecordToJson(const PodRecord& record) {
  return {{"uid", record.uid},           {"namespace", record.namespace_name},
          {"name", record.name},         {"creationTimestamp", record.creation_timestamp},
          {"sequence", record.sequence}, {"source", ToString(record.source)}};
}

std::optional<PodRecord> PodRecordFromJson(const nlohmann::json& value, std::string* error) {
  if (!value.is_object()) {
    *error = "pod record: not an object";
    return std::nullopt;
  }
  PodRecord r;
  for (auto [field, target] :
       {std::pair{"uid", &r.uid}, std::pair{"namespace", &r.namespace_name},
        std::pair{"name", &r.name}, std::pair{"creationTimestamp", &r.creation_timestamp}}) {
    auto it = value.find(field);
    if (it == value.end() || !it->is_string()) {
      *error = std::string("pod record: ") + field + " must be a string";
      return std::nullopt;
    }
    *target = it->get<std::string>();
  }
  if (r.uid.empty()) {
    *error = "pod record: uid is empty";
    return std::nullopt;
  }
  auto seq = value.find("sequence");
  if (seq == value.end() || !seq->is_number_unsigned()) {
    *error = "pod record " + r.uid + ": sequence must be a non-negative integer";
    return std::nullopt;
  }
  r.sequence = seq->get<std::uint64_t>();
  auto source = value.find("source");
  auto parsed = source != value.end() && source->is_string()
                    ? ParsePlacementSource(source->get<std::string>())
                    : std::nullopt;
  if (!parsed) {
    *error = "pod record " + r.uid + ": source must be extender, kubelet or rebuilt";
    return std::nullopt;
  }
  r.source = *parsed;
  return r;
}

}  // namespace numalign::agent
