#include "tests/support/apiserver/schema_validation.h"

#include <regex>

namespace numalign::test_apiserver {
namespace {

bool PreservesUnknown(const Json& schema) {
  const Json* preserve = Find(schema, "x-kubernetes-preserve-unknown-fields");
  return preserve && preserve->is_boolean() && preserve->get<bool>();
}

void Prune(Json& value, const Json& schema, const std::string& path, bool top,
           std::vector<std::string>& pruned) {
  if (!schema.is_object() || PreservesUnknown(schema)) return;
  if (value.is_object()) {
    const Json* properties = Find(schema, "properties");
    const Json* additional = Find(schema, "additionalProperties");
    if (additional && additional->is_object()) {
      for (auto& [key, child] : value.items())
        Prune(child, *additional, path.empty() ? key : path + "." + key, false, pruned);
      return;
    }
    std::vector<std::string> unknown;
    for (auto& [key, child] : value.items()) {
      if (top && (key == "apiVersion" || key == "kind" || key == "metadata")) continue;
      const Json* child_schema = properties ? Find(*properties, key) : nullptr;
      if (!child_schema) {
        unknown.push_back(key);
        continue;
      }
      Prune(child, *child_schema, path.empty() ? key : path + "." + key, false, pruned);
    }
    if (!properties && !top && !Find(schema, "type")) return;
    for (const auto& key : unknown) {
      pruned.push_back(path.empty() ? key : path + "." + key);
      value.erase(key);
    }
  } else if (value.is_array()) {
    const Json* items = Find(schema, "items");
    if (!items) return;
    for (size_t i = 0; i < value.size(); ++i)
      Prune(value[i], *items, path + "[" + std::to_string(i) + "]", false, pruned);
  }
}

std::string JsonTypeName(const Json& value) {
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "boolean";
  if (value.is_number_integer() || value.is_number_unsigned()) return "integer";
  if (value.is_number()) return "number";
  if (value.is_array()) return "array";
  if (value.is_object()) return "object";
  return "null";
}

bool TypeMatches(const std::string& type, const Json& value) {
  if (type == "string") return value.is_string();
  if (type == "integer")
    return value.is_number_integer() || value.is_number_unsigned() ||
           (value.is_number_float() &&
            value.get<double>() == static_cast<long long>(value.get<double>()));
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "array") return value.is_array();
  if (type == "object") return value.is_object();
  return true;
}

void Validate(const Json& value, const Json& schema, const std::string& path, bool top,
              std::vector<StatusCause>& causes) {
  if (!schema.is_object()) return;
  const Json* int_or_string = Find(schema, "x-kubernetes-int-or-string");
  bool is_int_or_string =
      int_or_string && int_or_string->is_boolean() && int_or_string->get<bool>();
  std::string type = GetString(schema, "type");
  if (value.is_null()) {
    const Json* nullable = Find(schema, "nullable");
    if (!(nullable && nullable->is_boolean() && nullable->get<bool>()) && !type.empty())
      causes.push_back(
          {"FieldValueTypeInvalid",
           "Invalid value: \"null\": " + path + " in body must be of type " + type + ": \"null\"",
           path});
    return;
  }
  if (is_int_or_string) {
    if (!value.is_string() && !value.is_number_integer() && !value.is_number_unsigned()) {
      causes.push_back({"FieldValueTypeInvalid",
                        "Invalid value: \"" + JsonTypeName(value) + "\": " + path +
                            " in body must be of type integer,string: \"" + JsonTypeName(value) +
                            "\"",
                        path});
      return;
    }
  } else if (!type.empty() && !TypeMatches(type, value)) {
    causes.push_back({"FieldValueTypeInvalid",
                      "Invalid value: \"" + JsonTypeName(value) + "\": " + path +
                          " in body must be of type " + type + ": \"" + JsonTypeName(value) + "\"",
                      path});
    return;
  }
  if (value.is_string()) {
    if (const Json* pattern = Find(schema, "pattern"); pattern && pattern->is_string()) {
      try {
        std::regex re(pattern->get<std::string>(), std::regex::ECMAScript);
        if (!std::regex_search(value.get<std::string>(), re))
          causes.push_back({"FieldValueInvalid",
                            "Invalid value: \"" + value.get<std::string>() + "\": " + path +
                                " in body should match '" + pattern->get<std::string>() + "'",
                            path});
      } catch (const std::regex_error&) {
      }
    }
    if (const Json* enumeration = Find(schema, "enum"); enumeration && enumeration->is_array()) {
      if (std::find(enumeration->begin(), enumeration->end(), value) == enumeration->end()) {
        std::string allowed;
        for (const auto& option : *enumeration)
          allowed += (allowed.empty() ? "" : ", ") + EncodeCompact(option);
        causes.push_back(
            {"FieldValueNotSupported",
             "Unsupported value: " + EncodeCompact(value) + ": supported values: " + allowed,
             path});
      }
    }
  }
  if (value.is_number()) {
    if (const Json* minimum = Find(schema, "minimum");
        minimum && minimum->is_number() && value.get<double>() < minimum->get<double>())
      causes.push_back({"FieldValueInvalid",
                        "Invalid value: " + EncodeCompact(value) + ": " + path +
                            " in body should be greater than or equal to " +
                            EncodeCompact(*minimum),
                        path});
    if (const Json* maximum = Find(schema, "maximum");
        maximum && maximum->is_number() && value.get<double>() > maximum->get<double>())
      causes.push_back({"FieldValueInvalid",
                        "Invalid value: " + EncodeCompact(value) + ": " + path +
                            " in body should be less than or equal to " + EncodeCompact(*maximum),
                        path});
  }
  if (value.is_object()) {
    const Json* properties = Find(schema, "properties");
    // Children first (in schema property order, sorted), then this level's required fields, the
    // order kube-apiserver's validator reports them in.
    std::vector<std::string> keys;
    for (const auto& [key, child] : value.items()) keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    for (const auto& key : keys) {
      if (top && key == "metadata") continue;
      const Json* child_schema = properties ? Find(*properties, key) : nullptr;
      if (child_schema)
        Validate(value.at(key), *child_schema, path.empty() ? key : path + "." + key, false,
                 causes);
    }
    if (const Json* required = Find(schema, "required"); required && required->is_array())
      for (const auto& name : *required)
        if (name.is_string() && !value.contains(name.get<std::string>())) {
          std::string field =
              path.empty() ? name.get<std::string>() : path + "." + name.get<std::string>();
          causes.push_back({"FieldValueRequired", "Required value", field});
        }
  }
  if (value.is_array()) {
    if (const Json* items = Find(schema, "items"))
      for (size_t i = 0; i < value.size(); ++i)
        Validate(value[i], *items, path + "[" + std::to_string(i) + "]", false, causes);
  }
}

}  // namespace

std::vector<std::string> PruneUnknownFields(Json& object, const Json& schema) {
  std::vector<std::string> pruned;
  if (schema.is_object()) Prune(object, schema, "", true, pruned);
  return pruned;
}

std::vector<StatusCause> ValidateAgainstSchema(const Json& object, const Json& schema) {
  std::vector<StatusCause> causes;
  if (schema.is_object()) Validate(object, schema, "", true, causes);
  // kube-apiserver sorts causes by field path.
  std::stable_sort(causes.begin(), causes.end(),
                   [](const StatusCause& a, const StatusCause& b) { return a.field < b.field; });
  return causes;
}

}  // namespace numalign::test_apiserver
