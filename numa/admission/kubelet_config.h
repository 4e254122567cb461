#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "numa/memorymanager/reserved_memory.h"
#include "numa/pod/quantity.h"

namespace numalign::numa {

// The KubeletConfiguration fields that decide NUMA admission, with the kubelet's defaults.
struct KubeletNumaConfig {
  std::string topology_manager_policy = "none";
  std::string topology_manager_scope = "container";
  std::map<std::string, std::string> topology_manager_policy_options;
  std::string cpu_manager_policy = "none";
  std::map<std::string, std::string> cpu_manager_policy_options;
  std::optional<std::string> reserved_system_cpus;
  std::string memory_manager_policy = "None";
  std::vector<MemoryReservation> reserved_memory;
  std::map<std::string, Quantity> system_reserved;
  std::map<std::string, Quantity> kube_reserved;
  std::optional<std::map<std::string, std::string>> eviction_hard;  // nullopt = default
  std::map<std::string, bool> feature_gates;
};

// From a JSON object with KubeletConfiguration field names (the conformance vectors' `kubelet`
// object is one). Unknown fields are ignored, wrong types are errors naming the field.
std::optional<KubeletNumaConfig> ParseKubeletConfigJson(const nlohmann::json& object,
                                                        std::string* error);

// From a KubeletConfiguration YAML document (kubelet --config file).
std::optional<KubeletNumaConfig> ParseKubeletConfigYaml(const std::string& yaml_text,
                                                        std::string* error);

// YAML -> JSON (scalars stay strings unless they are plain numbers or booleans), shared with the
// CLI for pods given as YAML.
std::optional<nlohmann::json> YamlToJson(const std::string& yaml_text, std::string* error);
// Every document of a multi-document YAML stream ("---" separated), empty documents skipped.
std::optional<std::vector<nlohmann::json>> YamlDocumentsToJson(const std::string& yaml_text,
                                                               std::string* error);

}  // namespace numalign::numa
