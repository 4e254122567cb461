#include "numa/allocation/pinned_annotation.h"

#include <nlohmann/json.hpp>
#include <set>

#include "numa/allocation/allocation_annotation.h"
#include "numa/allocation/annotation_json.h"
#include "numa/topology/cpu_list.h"

namespace numalign::numa {
namespace {

using annotation_json::Join;

// Upper bound for CPU and memory node ids in a pinned set: far above real machines, it keeps a
// hostile "0-2000000000" from allocating gigabytes while parsing.
constexpr int kMaxPinnedId = 1 << 16;

bool ReadList(const nlohmann::json& object, const char* key, const std::string& path,
              std::vector<int>* out, std::string* error) {
  std::string text;
  if (!annotation_json::ReadString(object, key, true, path, &text, error)) return false;
  const std::string field = Join(path, key);
  // Cheap pre-check of every number before the list parser expands ranges.
  std::string number;
  for (char c : text + ",") {
    if (c >= '0' && c <= '9') {
      number += c;
      if (number.size() > 6) {
        *error = field + ": id out of range";
        return false;
      }
    } else {
      if (!number.empty() && std::stoi(number) > kMaxPinnedId) {
        *error = field + ": id " + number + " out of range";
        return false;
      }
      number.clear();
    }
  }
  std::string problem;
  auto ids = ParseCpuList(text, &problem);
  if (!ids) {
    *error = field + ": " + problem;
    return false;
  }
  if (ids->empty()) {
    *error = field + ": must not be empty";
    return false;
  }
  *out = std::move(*ids);
  return true;
}

bool ReadSets(const nlohmann::json& value, const std::string& path,
              std::initializer_list<std::string_view> allowed, PinnedSets* out,
              std::string* error) {
  if (!value.is_object()) {
    *error = path + ": must be an object";
    return false;
  }
  return annotation_json::OnlyKnownFields(value, allowed, path, error) &&
         ReadList(value, "cpus", path, &out->cpus, error) &&
         ReadList(value, "mems", path, &out->mems, error);
}

nlohmann::ordered_json SetsJson(const PinnedSets& sets) {
  nlohmann::ordered_json out;
  out["cpus"] = FormatCpuList(sets.cpus);
  out["mems"] = FormatCpuList(sets.mems);
  return out;
}

}  // namespace

const PinnedContainer* PinnedRecord::Find(std::string_view container) const {
  for (const auto& c : containers) {
    if (c.name == container) return &c;
  }
  return nullptr;
}

std::string SerializePinnedRecord(const PinnedRecord& record) {
  nlohmann::ordered_json out;
  out["version"] = record.version;
  out["node"] = record.node;
  out["podUID"] = record.pod_uid;
  out["pod"] = SetsJson(record.pod);
  out["containers"] = nlohmann::ordered_json::array();
  for (const auto& c : record.containers) {
    nlohmann::ordered_json container;
    container["name"] = c.name;
    auto sets = SetsJson(c.sets);
    container["cpus"] = sets["cpus"];
    container["mems"] = sets["mems"];
    container["exclusive"] = c.exclusive;
    out["containers"].push_back(std::move(container));
  }
  return out.dump();
}

std::optional<PinnedRecord> ParsePinnedRecord(std::string_view text, std::string* error) {
  const std::string prefix = std::string(kPinnedAnnotation) + ": ";
  std::string problem;
  auto fail = [&]() -> std::optional<PinnedRecord> {
    *error = prefix + problem;
    return std::nullopt;
  };
  auto document = annotation_json::ParseObject(text, kMaxAnnotationBytes, &problem);
  if (!document) return fail();
  PinnedRecord record;
  if (!annotation_json::ReadVersion(*document, kPinnedVersionV1, "", &problem) ||
      !annotation_json::OnlyKnownFields(
          *document, {"version", "node", "podUID", "pod", "containers"}, "", &problem) ||
      !annotation_json::ReadString(*document, "node", true, "", &record.node, &problem) ||
      !annotation_json::CheckName(record.node, "node", &problem) ||
      !annotation_json::ReadString(*document, "podUID", true, "", &record.pod_uid, &problem) ||
      !annotation_json::CheckName(record.pod_uid, "podUID", &problem)) {
    return fail();
  }
  auto pod = document->find("pod");
  if (pod == document->end()) {
    problem = "pod: required field missing";
    return fail();
  }
  if (!ReadSets(*pod, "pod", {"cpus", "mems"}, &record.pod, &problem)) return fail();
  auto containers = document->find("containers");
  if (containers == document->end() || !containers->is_array()) {
    problem = containers == document->end() ? "containers: required field missing"
                                            : "containers: must be an array";
    return fail();
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < containers->size(); ++i) {
    const std::string path = "containers[" + std::to_string(i) + "]";
    const auto& value = (*containers)[i];
    PinnedContainer container;
    if (!ReadSets(value, path, {"name", "cpus", "mems", "exclusive"}, &container.sets, &problem) ||
        !annotation_json::ReadString(value, "name", true, path, &container.name, &problem) ||
        !annotation_json::CheckName(container.name, Join(path, "name"), &problem)) {
      return fail();
    }
    if (auto it = value.find("exclusive"); it != value.end()) {
      if (!it->is_boolean()) {
        problem = Join(path, "exclusive") + ": must be a boolean";
        return fail();
      }
      container.exclusive = it->get<bool>();
    }
    if (!names.insert(container.name).second) {
      problem = path + ".name: duplicate container \"" + container.name + "\"";
      return fail();
    }
    record.containers.push_back(std::move(container));
  }
  return record;
}

}  // namespace numalign::numa
