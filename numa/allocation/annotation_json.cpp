#include "numa/allocation/annotation_json.h"

namespace numalign::numa::annotation_json {

std::string Join(const std::string& path, std::string_view field) {
  return path.empty() ? std::string(field) : path + "." + std::string(field);
}

std::optional<nlohmann::json> ParseObject(std::string_view text, std::size_t max_bytes,
                                          std::string* error) {
  if (text.size() > max_bytes) {
    *error = "value is " + std::to_string(text.size()) + " bytes, more than the limit of " +
             std::to_string(max_bytes);
    return std::nullopt;
  }
  nlohmann::json document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    *error = "not valid JSON";
    return std::nullopt;
  }
  if (!document.is_object()) {
    *error = "must be a JSON object";
    return std::nullopt;
  }
  return document;
}

bool OnlyKnownFields(const nlohmann::json& object, std::initializer_list<std::string_view> allowed,
                     const std::string& path, std::string* error) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) {
      *error = Join(path, key) + ": unknown field";
      return false;
    }
  }
  return true;
}

bool ReadString(const nlohmann::json& object, const char* key, bool required,
                const std::string& path, std::string* out, std::string* error) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (!required) return true;
    *error = Join(path, key) + ": required field missing";
    return false;
  }
  if (!it->is_string()) {
    *error = Join(path, key) + ": must be a string";
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

bool ReadVersion(const nlohmann::json& object, std::string_view expected, const std::string& path,
                 std::string* error) {
  std::string version;
  if (!ReadString(object, "version", true, path, &version, error)) return false;
  if (version != expected) {
    *error = Join(path, "version") + ": unsupported version \"" + version +
             "\" (this reader knows \"" + std::string(expected) + "\")";
    return false;
  }
  return true;
}

bool CheckName(const std::string& name, const std::string& path, std::string* error) {
  if (name.empty()) {
    *error = path + ": must not be empty";
    return false;
  }
  if (name.size() > 253) {
    *error = path + ": longer than 253 characters";
    return false;
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) {
      *error = path + ": contains a control character";
      return false;
    }
  }
  return true;
}

}  // namespace numalign::numa::annotation_json
