#include <nlohmann/json.hpp>
#include <set>

#include "numa/admission/kubelet_config.h"
#include "sim/model/known_fields.h"
#include "sim/model/text_file.h"
#include "sim/workload/workload_spec.h"

namespace numalign::sim {
namespace {

using nlohmann::json;

bool ReadNumber(const json& object, const std::string& key, const std::string& field, double min,
                double* out, std::string* error) {
  auto it = object.find(key);
  if (it == object.end()) return true;
  if (!it->is_number() || it->get<double>() < min) {
    *error = field + "." + key + ": must be a number >= " + json(min).dump();
    return false;
  }
  *out = it->get<double>();
  return true;
}

bool ReadQuantity(const json& value, const std::string& field, numa::Quantity* out,
                  std::string* error) {
  std::string text;
  if (value.is_string()) {
    text = value.get<std::string>();
  } else if (value.is_number_integer()) {
    text = std::to_string(value.get<std::int64_t>());
  } else if (value.is_number()) {
    text = value.dump();
  } else {
    *error = field + ": must be a quantity (e.g. 2, 500m, 4Gi)";
    return false;
  }
  std::string why;
  auto q = numa::Quantity::Parse(text, &why);
  if (!q) {
    *error = field + ": " + why;
    return false;
  }
  if (q->IsNegative() || q->IsZero()) {
    *error = field + ": must be positive";
    return false;
  }
  *out = *q;
  return true;
}

bool ReadShape(const json& c, const std::string& field, bool init, ContainerShape* out,
               std::string* error) {
  if (!c.is_object()) {
    *error = field + ": must be a mapping of resource -> value or list of values";
    return false;
  }
  for (const auto& [key, value] : c.items()) {
    if (key == "restartable") {
      if (!init || !value.is_boolean()) {
        *error = field + ".restartable: a boolean, only on init containers";
        return false;
      }
      out->restartable = value.get<bool>();
      continue;
    }
    if (key != "cpu" && key != "memory" && !key.starts_with("hugepages-")) {
      *error = field + ": unknown resource `" + key + "` (cpu, memory, hugepages-<size>)";
      return false;
    }
    std::vector<numa::Quantity> choices;
    if (value.is_array()) {
      if (value.empty()) {
        *error = field + "." + key + ": an empty list";
        return false;
      }
      for (std::size_t i = 0; i < value.size(); ++i) {
        numa::Quantity q;
        if (!ReadQuantity(value[i], field + "." + key + "[" + std::to_string(i) + "]", &q, error)) {
          return false;
        }
        choices.push_back(q);
      }
    } else {
      numa::Quantity q;
      if (!ReadQuantity(value, field + "." + key, &q, error)) return false;
      choices.push_back(q);
    }
    out->choices[key] = std::move(choices);
  }
  return true;
}

bool ReadShapes(const json& object, const std::string& key, const std::string& field, bool init,
                std::vector<ContainerShape>* out, std::string* error) {
  auto it = object.find(key);
  if (it == object.end()) return true;
  if (!it->is_array()) {
    *error = field + "." + key + ": must be a list";
    return false;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    ContainerShape shape;
    if (!ReadShape((*it)[i], field + "." + key + "[" + std::to_string(i) + "]", init, &shape,
                   error)) {
      return false;
    }
    out->push_back(std::move(shape));
  }
  return true;
}

bool ReadClass(const json& c, const std::string& field, PodClass* out, std::string* error) {
  if (!c.is_object()) {
    *error = field + ": must be a mapping";
    return false;
  }
  if (!CheckKnownFields(
          c, field,
          {"containers", "initContainers", "lifetime", "name", "qos", "replicaSet", "weight"},
          error)) {
    return false;
  }
  auto name = c.find("name");
  if (name == c.end() || !name->is_string() || name->get<std::string>().empty()) {
    *error = field + ".name: required, a string";
    return false;
  }
  out->name = name->get<std::string>();
  if (!ReadNumber(c, "weight", field, 0, &out->weight, error)) return false;
  if (!ReadNumber(c, "lifetime", field, 0, &out->lifetime_s, error)) return false;
  if (auto q = c.find("qos"); q != c.end()) {
    std::string qos = q->is_string() ? q->get<std::string>() : "";
    if (qos == "Guaranteed") {
      out->qos = ShapeQos::kGuaranteed;
    } else if (qos == "Burstable") {
      out->qos = ShapeQos::kBurstable;
    } else if (qos == "BestEffort") {
      out->qos = ShapeQos::kBestEffort;
    } else {
      *error = field + ".qos: must be Guaranteed, Burstable or BestEffort";
      return false;
    }
  }
  if (auto r = c.find("replicaSet"); r != c.end()) {
    if (!r->is_boolean()) {
      *error = field + ".replicaSet: must be true or false";
      return false;
    }
    out->replicaset = r->get<bool>();
  }
  if (!ReadShapes(c, "initContainers", field, true, &out->init_containers, error)) return false;
  if (!ReadShapes(c, "containers", field, false, &out->containers, error)) return false;
  if (out->containers.empty()) {
    *error = field + ".containers: at least one container";
    return false;
  }
  if (out->qos == ShapeQos::kGuaranteed) {
    // The API's QoS rule: every container needs cpu and memory for Guaranteed.
    auto check = [&](const std::vector<ContainerShape>& shapes, const char* key) {
      for (std::size_t i = 0; i < shapes.size(); ++i) {
        if (!shapes[i].choices.count("cpu") || !shapes[i].choices.count("memory")) {
          *error = field + "." + key + "[" + std::to_string(i) +
                   "]: a Guaranteed pod needs cpu and memory in every container";
          return false;
        }
      }
      return true;
    };
    if (!check(out->init_containers, "initContainers") || !check(out->containers, "containers")) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<WorkloadSpec> ParseWorkloadYaml(const std::string& yaml_text, std::string* error) {
  std::string why;
  auto doc = numa::YamlToJson(yaml_text, &why);
  if (!doc) {
    *error = "workload YAML: " + why;
    return std::nullopt;
  }
  if (!doc->is_object()) {
    *error = "workload: must be a mapping with a `podClasses` list";
    return std::nullopt;
  }
  if (!CheckKnownFields(
          *doc, "workload",
          {"arrivalRate", "arrivalRatePerNode", "duration", "name", "namespace", "podClasses"},
          error)) {
    return std::nullopt;
  }
  WorkloadSpec spec;
  if (auto n = doc->find("name"); n != doc->end()) {
    if (!n->is_string()) {
      *error = "workload.name: must be a string";
      return std::nullopt;
    }
    spec.name = n->get<std::string>();
  }
  if (auto n = doc->find("namespace"); n != doc->end()) {
    if (!n->is_string() || n->get<std::string>().empty()) {
      *error = "workload.namespace: must be a non-empty string";
      return std::nullopt;
    }
    spec.ns = n->get<std::string>();
  }
  if (!ReadNumber(*doc, "duration", "workload", 1, &spec.duration_s, error) ||
      !ReadNumber(*doc, "arrivalRate", "workload", 0, &spec.arrival_rate, error) ||
      !ReadNumber(*doc, "arrivalRatePerNode", "workload", 0, &spec.arrival_rate_per_node, error)) {
    return std::nullopt;
  }
  if (spec.arrival_rate <= 0 && spec.arrival_rate_per_node <= 0) {
    *error = "workload: arrivalRate or arrivalRatePerNode must be positive";
    return std::nullopt;
  }
  auto classes = doc->find("podClasses");
  if (classes == doc->end() || !classes->is_array() || classes->empty()) {
    *error = "workload.podClasses: required, a non-empty list";
    return std::nullopt;
  }
  double total_weight = 0;
  std::set<std::string> names;
  for (std::size_t i = 0; i < classes->size(); ++i) {
    PodClass c;
    const std::string field = "podClasses[" + std::to_string(i) + "]";
    if (!ReadClass((*classes)[i], field, &c, error)) return std::nullopt;
    if (!names.insert(c.name).second) {
      *error = field + ".name: duplicate class " + c.name;
      return std::nullopt;
    }
    total_weight += c.weight;
    spec.classes.push_back(std::move(c));
  }
  if (total_weight <= 0) {
    *error = "workload.podClasses: the weights add up to zero";
    return std::nullopt;
  }
  return spec;
}

std::optional<WorkloadSpec> LoadWorkloadFile(const std::string& path, std::string* error) {
  auto text = ReadTextFile(path, "workload", error);
  if (!text) return std::nullopt;
  auto spec = ParseWorkloadYaml(*text, error);
  if (!spec) {
    *error = path + ": " + *error;
    return std::nullopt;
  }
  if (spec->name.empty()) spec->name = path;
  return spec;
}

}  // namespace numalign::sim
