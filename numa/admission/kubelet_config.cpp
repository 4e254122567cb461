#include "numa/admission/kubelet_config.h"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

namespace numalign::numa {
namespace {

using nlohmann::json;

bool ReadString(const json& o, const char* key, std::string* out, std::string* error) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return true;
  if (!it->is_string()) {
    *error = std::string(key) + ": must be a string";
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

std::string ScalarText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

bool ReadStringMap(const json& o, const char* key, std::map<std::string, std::string>* out,
                   std::string* error) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return true;
  if (!it->is_object()) {
    *error = std::string(key) + ": must be a map";
    return false;
  }
  for (const auto& [k, v] : it->items()) {
    if (v.is_object() || v.is_array() || v.is_null()) {
      *error = std::string(key) + "." + k + ": must be a scalar";
      return false;
    }
    (*out)[k] = ScalarText(v);
  }
  return true;
}

bool ReadQuantityMap(const json& o, const char* key, std::map<std::string, Quantity>* out,
                     std::string* error) {
  std::map<std::string, std::string> raw;
  if (!ReadStringMap(o, key, &raw, error)) return false;
  for (const auto& [k, v] : raw) {
    std::string why;
    auto q = Quantity::Parse(v, &why);
    if (!q) {
      *error = std::string(key) + "." + k + ": " + why;
      return false;
    }
    (*out)[k] = *q;
  }
  return true;
}

}  // namespace

std::optional<KubeletNumaConfig> ParseKubeletConfigJson(const json& o, std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  if (!o.is_object()) {
    *error = "kubelet configuration: must be an object";
    return std::nullopt;
  }
  KubeletNumaConfig c;
  if (!ReadString(o, "topologyManagerPolicy", &c.topology_manager_policy, error) ||
      !ReadString(o, "topologyManagerScope", &c.topology_manager_scope, error) ||
      !ReadStringMap(o, "topologyManagerPolicyOptions", &c.topology_manager_policy_options,
                     error) ||
      !ReadString(o, "cpuManagerPolicy", &c.cpu_manager_policy, error) ||
      !ReadStringMap(o, "cpuManagerPolicyOptions", &c.cpu_manager_policy_options, error) ||
      !ReadString(o, "memoryManagerPolicy", &c.memory_manager_policy, error) ||
      !ReadQuantityMap(o, "systemReserved", &c.system_reserved, error) ||
      !ReadQuantityMap(o, "kubeReserved", &c.kube_reserved, error)) {
    return std::nullopt;
  }
  if (auto it = o.find("reservedSystemCPUs"); it != o.end() && !it->is_null()) {
    if (!it->is_string()) {
      *error = "reservedSystemCPUs: must be a string";
      return std::nullopt;
    }
    c.reserved_system_cpus = it->get<std::string>();
  }
  if (auto it = o.find("evictionHard"); it != o.end() && !it->is_null()) {
    std::map<std::string, std::string> eviction;
    if (!ReadStringMap(o, "evictionHard", &eviction, error)) return std::nullopt;
    c.eviction_hard = eviction;
  }
  if (auto it = o.find("featureGates"); it != o.end() && !it->is_null()) {
    if (!it->is_object()) {
      *error = "featureGates: must be a map";
      return std::nullopt;
    }
    for (const auto& [k, v] : it->items()) {
      if (v.is_boolean()) {
        c.feature_gates[k] = v.get<bool>();
      } else if (v.is_string() && (v == "true" || v == "false")) {
        c.feature_gates[k] = v == "true";
      } else {
        *error = "featureGates." + k + ": must be true or false";
        return std::nullopt;
      }
    }
  }
  if (auto it = o.find("reservedMemory"); it != o.end() && !it->is_null()) {
    if (!it->is_array()) {
      *error = "reservedMemory: must be a list";
      return std::nullopt;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& r = (*it)[i];
      const std::string path = "reservedMemory[" + std::to_string(i) + "]";
      if (!r.is_object()) {
        *error = path + ": must be an object";
        return std::nullopt;
      }
      MemoryReservation mr;
      auto node = r.find("numaNode");
      if (node == r.end() || !node->is_number_integer()) {
        *error = path + ".numaNode: must be an integer";
        return std::nullopt;
      }
      mr.numa_node = node->get<int>();
      auto limits = r.find("limits");
      if (limits != r.end() && !limits->is_null()) {
        if (!limits->is_object()) {
          *error = path + ".limits: must be a map";
          return std::nullopt;
        }
        for (const auto& [k, v] : limits->items()) {
          std::string why;
          auto q = Quantity::Parse(ScalarText(v), &why);
          if (!q) {
            *error = path + ".limits." + k + ": " + why;
            return std::nullopt;
          }
          mr.limits.emplace_back(k, *q);
        }
      }
      c.reserved_memory.push_back(std::move(mr));
    }
  }
  return c;
}

namespace {

json YamlNodeToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : node) o[kv.first.as<std::string>()] = YamlNodeToJson(kv.second);
      return o;
    }
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const auto& v : node) a.push_back(YamlNodeToJson(v));
      return a;
    }
    case YAML::NodeType::Scalar: {
      const std::string s = node.Scalar();
      if (node.Tag() == "!") return s;  // quoted: always a string
      if (s == "true" || s == "false") return s == "true";
      if (!s.empty() && s.find_first_not_of("0123456789-") == std::string::npos && s.size() < 18 &&
          s != "-") {
        try {
          return std::stoll(s);
        } catch (...) {
          return s;
        }
      }
      return s;
    }
    default:
      return nullptr;
  }
}

}  // namespace

std::optional<json> YamlToJson(const std::string& yaml_text, std::string* error) {
  try {
    YAML::Node root = YAML::Load(yaml_text);
    return YamlNodeToJson(root);
  } catch (const std::exception& e) {
    if (error) *error = std::string("invalid YAML: ") + e.what();
    return std::nullopt;
  }
}

std::optional<std::vector<json>> YamlDocumentsToJson(const std::string& yaml_text,
                                                     std::string* error) {
  try {
    std::vector<json> out;
    for (const auto& doc : YAML::LoadAll(yaml_text)) {
      if (doc.IsNull()) continue;
      out.push_back(YamlNodeToJson(doc));
    }
    return out;
  } catch (const std::exception& e) {
    if (error) *error = std::string("invalid YAML: ") + e.what();
    return std::nullopt;
  }
}

std::optional<KubeletNumaConfig> ParseKubeletConfigYaml(const std::string& yaml_text,
                                                        std::string* error) {
  auto j = YamlToJson(yaml_text, error);
  if (!j) return std::nullopt;
  return ParseKubeletConfigJson(*j, error);
}

}  // namespace numalign::numa
