#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace numalign::agent {

// How a pod's placement was decided.
enum class PlacementSource {
  kExtender,  // the extender's numalign.io/allocation, validated
  kKubelet,   // decided here, the kubelet's way (no decision, or it no longer fitted)
  kRebuilt,   // rebuilt from numalign.io/pinned / the cgroups after a corrupted checkpoint
};

std::string ToString(PlacementSource source);
std::optional<PlacementSource> ParsePlacementSource(const std::string& text);

// numalign's record of one admitted pod, checkpointed beside the kubelet-layout state.
struct PodRecord {
  std::string uid;
  std::string namespace_name;
  std::string name;
  std::string creation_timestamp;
  std::uint64_t sequence = 0;  // admission order on this node, never reused
  PlacementSource source = PlacementSource::kKubelet;
  bool operator==(const PodRecord&) const = default;
};

nlohmann::json PodRecordToJson(const PodRecord& record);
// Strict; nullopt with `error` naming the field.
std::optional<PodRecord> PodRecordFromJson(const nlohmann::json& value, std::string* error);

}  // namespace numalign::agent
