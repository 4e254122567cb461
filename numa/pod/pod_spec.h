#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "numa/pod/quantity.h"

namespace numalign::numa {

// Where a container sits in the pod's life cycle. Restartable init containers ("sidecars",
// restartPolicy: Always) keep running beside the app containers, so their resources add up
// instead of being reusable.
enum class ContainerRole { kInit, kRestartableInit, kApp };

struct ContainerSpec {
  std::string name;
  ContainerRole role = ContainerRole::kApp;
  // Resource name -> quantity. Requests already carry the API server's defaulting: a resource
  // with a limit but no request requests its limit, as the kubelet sees every pod.
  std::map<std::string, Quantity> requests;
  std::map<std::string, Quantity> limits;
};

// The parts of a core/v1 Pod that NUMA admission depends on.
struct PodSpec {
  std::string namespace_name = "default";
  std::string name;
  std::string uid;  // metadata.uid, or "namespace/name" when the object has none
  std::vector<ContainerSpec> init_containers;  // spec order
  std::vector<ContainerSpec> containers;       // spec order

  std::string Key() const { return namespace_name + "/" + name; }
};

// Reads a Pod object (apiVersion/kind are not required). Never throws: on malformed input it
// returns nullopt and names the offending field in `error`, e.g.
// "spec.containers[1].resources.requests.memory: quantities must match ...".
std::optional<PodSpec> ParsePodJson(const nlohmann::json& pod, std::string* error);

}  // namespace numalign::numa
