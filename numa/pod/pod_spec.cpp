#include "numa/pod/pod_spec.h"

#include <nlohmann/json.hpp>

namespace numalign::numa {
namespace {

using nlohmann::json;

bool ReadResourceList(const json& list, const std::string& path,
                      std::map<std::string, Quantity>* out, std::string* error) {
  if (list.is_null()) return true;
  if (!list.is_object()) {
    *error = path + ": must be a map of resource name to quantity";
    return false;
  }
  for (const auto& [resource, value] : list.items()) {
    const std::string field = path + "." + resource;
    std::string text;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_number_integer()) {
      text = std::to_string(value.get<std::int64_t>());
    } else if (value.is_number_float()) {
      // JSON numbers are legal quantities; render with enough digits to stay exact.
      text = value.dump();
    } else {
      *error = field + ": must be a quantity string";
      return false;
    }
    std::string why;
    auto q = Quantity::Parse(text, &why);
    if (!q) {
      *error = field + ": " + why;
      return false;
    }
    if (q->IsNegative()) {
      *error = field + ": must be greater than or equal to 0";
      return false;
    }
    (*out)[resource] = *q;
  }
  return true;
}

bool ReadContainer(const json& c, const std::string& path, bool init, ContainerSpec* out,
                   std::string* error) {
  if (!c.is_object()) {
    *error = path + ": must be an object";
    return false;
  }
  auto name = c.find("name");
  if (name == c.end() || !name->is_string() || name->get<std::string>().empty()) {
    *error = path + ".name: required";
    return false;
  }
  out->name = name->get<std::string>();
  out->role = ContainerRole::kApp;
  if (init) {
    out->role = ContainerRole::kInit;
    auto rp = c.find("restartPolicy");
    if (rp != c.end() && !rp->is_null()) {
      if (!rp->is_string()) {
        *error = path + ".restartPolicy: must be a string";
        return false;
      }
      if (rp->get<std::string>() == "Always") out->role = ContainerRole::kRestartableInit;
    }
  }
  auto resources = c.find("resources");
  if (resources != c.end() && !resources->is_null()) {
    if (!resources->is_object()) {
      *error = path + ".resources: must be an object";
      return false;
    }
    if (auto r = resources->find("requests"); r != resources->end()) {
      if (!ReadResourceList(*r, path + ".resources.requests", &out->requests, error)) return false;
    }
    if (auto l = resources->find("limits"); l != resources->end()) {
      if (!ReadResourceList(*l, path + ".resources.limits", &out->limits, error)) return false;
    }
  }
  // API server defaulting (SetDefaults_Pod): a limit without a request requests the limit.
  for (const auto& [resource, limit] : out->limits) out->requests.emplace(resource, limit);
  return true;
}

bool ReadContainers(const json& spec, const char* key, bool init, std::vector<ContainerSpec>* out,
                    std::string* error) {
  auto it = spec.find(key);
  if (it == spec.end() || it->is_null()) return true;
  if (!it->is_array()) {
    *error = std::string("spec.") + key + ": must be a list";
    return false;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    ContainerSpec c;
    const std::string path = std::string("spec.") + key + "[" + std::to_string(i) + "]";
    if (!ReadContainer((*it)[i], path, init, &c, error)) return false;
    out->push_back(std::move(c));
  }
  return true;
}

}  // namespace

std::optional<PodSpec> ParsePodJson(const json& pod, std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  if (!pod.is_object()) {
    *error = "pod: must be a JSON object";
    return std::nullopt;
  }
  PodSpec out;
  auto meta = pod.find("metadata");
  if (meta == pod.end() || !meta->is_object()) {
    *error = "metadata: required";
    return std::nullopt;
  }
  auto read_string = [&](const char* key, std::string* into) {
    auto it = meta->find(key);
    if (it == meta->end() || it->is_null()) return true;
    if (!it->is_string()) {
      *error = std::string("metadata.") + key + ": must be a string";
      return false;
    }
    *into = it->get<std::string>();
    return true;
  };
  if (!read_string("name", &out.name) || !read_string("namespace", &out.namespace_name) ||
      !read_string("uid", &out.uid)) {
    return std::nullopt;
  }
  if (out.name.empty()) {
    *error = "metadata.name: required";
    return std::nullopt;
  }
  if (out.namespace_name.empty()) out.namespace_name = "default";
  if (out.uid.empty()) out.uid = out.Key();
  auto spec = pod.find("spec");
  if (spec == pod.end() || !spec->is_object()) {
    *error = "spec: required";
    return std::nullopt;
  }
  if (!ReadContainers(*spec, "initContainers", true, &out.init_containers, error) ||
      !ReadContainers(*spec, "containers", false, &out.containers, error)) {
    return std::nullopt;
  }
  if (out.containers.empty()) {
    *error = "spec.containers: must have at least one container";
    return std::nullopt;
  }
  return out;
}

}  // namespace numalign::numa
