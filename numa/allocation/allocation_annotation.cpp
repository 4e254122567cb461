#include "numa/allocation/allocation_annotation.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "numa/allocation/annotation_json.h"

namespace numalign::numa {
namespace {

using annotation_json::Join;

bool IsNumaResource(const std::string& name) {
  return name == "cpu" || name == "memory" ||
         (name.rfind("hugepages-", 0) == 0 && name.size() > std::string("hugepages-").size());
}

bool ReadNumaIds(const nlohmann::json& value, const std::string& path, std::vector<int>* out,
                 std::string* error) {
  if (!value.is_array()) {
    *error = path + ": must be an array of NUMA node ids";
    return false;
  }
  if (value.empty()) {
    *error = path + ": must not be empty (omit the resource for no affinity)";
    return false;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item = path + "[" + std::to_string(i) + "]";
    if (!value[i].is_number_integer()) {
      *error = item + ": must be an integer";
      return false;
    }
    const std::int64_t id = value[i].get<std::int64_t>();
    if (id < 0 || id > kMaxAnnotationNumaId) {
      *error = item + ": NUMA node id " + std::to_string(id) + " is out of range [0, " +
               std::to_string(kMaxAnnotationNumaId) + "]";
      return false;
    }
    if (!out->empty() && id <= out->back()) {
      *error = item + ": ids must be ascending and unique";
      return false;
    }
    out->push_back(static_cast<int>(id));
  }
  return true;
}

bool ReadContainer(const nlohmann::json& value, const std::string& path, ContainerNumaDecision* out,
                   std::string* error) {
  if (!value.is_object()) {
    *error = path + ": must be an object";
    return false;
  }
  if (!annotation_json::OnlyKnownFields(value, {"name", "exclusiveCPUs", "numa"}, path, error) ||
      !annotation_json::ReadString(value, "name", true, path, &out->name, error) ||
      !annotation_json::CheckName(out->name, Join(path, "name"), error)) {
    return false;
  }
  if (auto it = value.find("exclusiveCPUs"); it != value.end()) {
    if (!it->is_number_integer()) {
      *error = Join(path, "exclusiveCPUs") + ": must be an integer";
      return false;
    }
    const std::int64_t cpus = it->get<std::int64_t>();
    if (cpus < 0 || cpus > kMaxAnnotationExclusiveCpus) {
      *error = Join(path, "exclusiveCPUs") + ": " + std::to_string(cpus) + " is out of range [0, " +
               std::to_string(kMaxAnnotationExclusiveCpus) + "]";
      return false;
    }
    out->exclusive_cpus = cpus;
  }
  if (auto it = value.find("numa"); it != value.end()) {
    const std::string numa_path = Join(path, "numa");
    if (!it->is_object()) {
      *error = numa_path + ": must be an object";
      return false;
    }
    for (const auto& [resource, ids] : it->items()) {
      if (!IsNumaResource(resource)) {
        *error = Join(numa_path, resource) +
                 ": unknown resource (expected cpu, memory or hugepages-<size>)";
        return false;
      }
      if (!ReadNumaIds(ids, Join(numa_path, resource), &out->numa[resource], error)) return false;
    }
  }
  return true;
}

}  // namespace

std::vector<int> ContainerNumaDecision::AllNumaNodes() const {
  std::set<int> all;
  for (const auto& [resource, ids] : numa) all.insert(ids.begin(), ids.end());
  return {all.begin(), all.end()};
}

const ContainerNumaDecision* AllocationDecision::Find(std::string_view container) const {
  for (const auto& c : containers) {
    if (c.name == container) return &c;
  }
  return nullptr;
}

std::string SerializeAllocationDecision(const AllocationDecision& decision) {
  // ordered_json keeps the documented field order, so the text is stable for diffs and patches.
  nlohmann::ordered_json out;
  out["version"] = decision.version;
  out["node"] = decision.node;
  out["podUID"] = decision.pod_uid;
  out["containers"] = nlohmann::ordered_json::array();
  for (const auto& c : decision.containers) {
    nlohmann::ordered_json container;
    container["name"] = c.name;
    container["exclusiveCPUs"] = c.exclusive_cpus;
    container["numa"] = nlohmann::ordered_json::object();
    for (const auto& [resource, ids] : c.numa) container["numa"][resource] = ids;
    out["containers"].push_back(std::move(container));
  }
  return out.dump();
}

std::optional<AllocationDecision> ParseAllocationDecision(std::string_view text,
                                                          std::string* error) {
  const std::string prefix = std::string(kAllocationAnnotation) + ": ";
  std::string problem;
  auto fail = [&]() -> std::optional<AllocationDecision> {
    *error = prefix + problem;
    return std::nullopt;
  };
  auto document = annotation_json::ParseObject(text, kMaxAnnotationBytes, &problem);
  if (!document) return fail();
  AllocationDecision decision;
  if (!annotation_json::ReadVersion(*document, kAllocationVersionV1, "", &problem) ||
      !annotation_json::OnlyKnownFields(*document, {"version", "node", "podUID", "containers"}, "",
                                        &problem) ||
      !annotation_json::ReadString(*document, "node", true, "", &decision.node, &problem) ||
      !annotation_json::CheckName(decision.node, "node", &problem) ||
      !annotation_json::ReadString(*document, "podUID", true, "", &decision.pod_uid, &problem) ||
      !annotation_json::CheckName(decision.pod_uid, "podUID", &problem)) {
    return fail();
  }
  auto containers = document->find("containers");
  if (containers == document->end()) {
    problem = "containers: required field missing";
    return fail();
  }
  if (!containers->is_array()) {
    problem = "containers: must be an array";
    return fail();
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < containers->size(); ++i) {
    const std::string path = "containers[" + std::to_string(i) + "]";
    ContainerNumaDecision container;
    if (!ReadContainer((*containers)[i], path, &container, &problem)) return fail();
    if (!names.insert(container.name).second) {
      problem = path + ".name: duplicate container \"" + container.name + "\"";
      return fail();
    }
    decision.containers.push_back(std::move(container));
  }
  return decision;
}

}  // namespace numalign::numa
