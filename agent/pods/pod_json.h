#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "agent/allocation/pod_observation.h"

namespace numalign::agent {

// Extracts what the agent needs from a core/v1 Pod object. nullopt (with the field named in
// `error`) for a pod the agent cannot reason about, e.g. an absurd quantity; such a pod is
// reported and left alone, never crashes the agent.
std::optional<PodObservation> PodObservationFromJson(const nlohmann::json& pod, std::string* error);

}  // namespace numalign::agent
